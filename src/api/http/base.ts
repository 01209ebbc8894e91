// BaseClient: what every server kind's REST client has in common (VB365, Enterprise Manager; next VBR REST).
//
//   transport             the Transport, built from the ServerDefinition and ClientDeps (pinned certificate,
//                         CA file, connect and response timeouts, request log)
//   send(method, path, o) an authenticated request with one policy for every kind: the credential from
//                         credential(); on a 401 it is renewed once with renew(stale); a GET is then sent
//                         again once, anything else (POST, PUT, DELETE) is never sent twice: the 401 is
//                         reported with unauthorized(). Returns the response whatever its status.
//   httpError(res, path, messageOf)
//                         an error answer → VeeamError('http'): a proxy's HTML page, else the server's own
//                         message (read by messageOf: jsonErrorMessage for {message, errorCode} bodies),
//                         the busy note for 429/503 and Retry-After
//   ownSignal             the client's own AbortSignal, aborted only by dispose(). Work several callers share
//                         (version detection, logon, token renewal) runs on it, never on the signal of the caller
//                         that happened to start it; each caller waits with waitFor(shared, itsSignal) (./wait)
//                         and can stop waiting on its own signal without cancelling the others
//   dispose()             close() (a kind's best-effort logout), then aborts ownSignal and releases the
//                         transport; send() refuses from then on
//
// A kind extends BaseClient<C>, C being its credential (VB365 and VBR: a bearer token; EM: the
// X-RestSvcSessionId), and implements:
//   credential(signal)    the credential to use now, obtaining one when there is none
//   renew(stale, signal)  `stale` was answered 401: a new credential. Concurrent callers share one renewal
//                         (on ownSignal, waited for with waitFor), and a caller whose `stale` was already
//                         replaced gets the current one at once
//   authHeaders(c)        the request headers that carry the credential
// and may override unauthorized() (wording of the two auth failures), statusText() (how a status is named
// in messages) and close(). What differs stays in the kind: VB365 bearer + JSON errors, EM session id +
// XML <Error Message>. A VBR REST client would be: bearer token from POST /api/oauth2/token, authHeaders
// { authorization: `Bearer …`, 'x-api-version': '1.2-rev1' }, errors read with jsonErrorMessage.
import type { ClientDeps, ServerDefinition } from '../model';
import { VeeamError } from '../errors';
import { busyNote, htmlError, retryAfter, stripBom } from './body';
import { HttpResponse, Method, Transport } from './transport';

export interface SendOptions {
  signal?: AbortSignal;
  body?: string;
  /** Headers besides the credential's (accept, content-type). */
  headers?: Record<string, string>;
  /** What a POST sets off (e.g. 'the sync of "Repo"'), named when its outcome is unknown after a failure. */
  action?: string;
  /** What the request log shows instead of the path. */
  logPath?: string;
}

/** The server's own text and code in an error body; undefined fields when it has none. */
export interface ServerMessage { message?: string; errorCode?: string }

/** Error bodies as VB365 (RESTExceptionInfo) and VBR REST send them: {message, errorCode}; EM's JSON {Message} too. */
export function jsonErrorMessage(res: HttpResponse): ServerMessage {
  try {
    const b = JSON.parse(stripBom(res.text)) as Record<string, unknown>;
    const message = typeof b.message === 'string' ? b.message : typeof b.Message === 'string' ? b.Message : undefined;
    return { message: message || undefined, errorCode: typeof b.errorCode === 'string' ? b.errorCode : undefined };
  } catch {
    return {};
  }
}

export abstract class BaseClient<C> {
  protected readonly transport: Transport;
  private readonly life = new AbortController();
  private closing = false;

  constructor(readonly definition: ServerDefinition, protected readonly deps: ClientDeps) {
    this.transport = new Transport({
      baseUrl: definition.url, trustedFingerprint: definition.trustedCertificate, caPem: deps.caPem,
      timeoutMs: deps.http.timeoutMs, connectTimeoutMs: deps.http.connectTimeoutMs, log: deps.log,
    });
  }

  /** The client's own signal: shared in-flight work runs on it; only dispose() aborts it. */
  protected get ownSignal(): AbortSignal { return this.life.signal; }

  /** host:port of the server, for messages. */
  protected get host(): string { return new URL(this.definition.url).host; }

  /** The credential to send now; obtains one when there is none. */
  protected abstract credential(signal?: AbortSignal): Promise<C>;
  /** `stale` was rejected with 401: a new credential (one renewal however many callers wait). */
  protected abstract renew(stale: C, signal?: AbortSignal): Promise<C>;
  /** The request headers that carry the credential. */
  protected abstract authHeaders(credential: C): Record<string, string>;

  /**
   * The auth error after a 401. `notResent`: a request other than GET was rejected; the credential has been
   * renewed but the request is not sent again. Otherwise a GET was rejected again with the renewed credential.
   */
  protected unauthorized(res: HttpResponse, method: Method, path: string, notResent: boolean): VeeamError {
    const where = { status: res.status, method, path: path.split('?')[0] };
    return notResent
      ? new VeeamError('auth', `${this.host} rejected the session; nothing was started (it is never sent twice). Try again with the new session.`, where)
      : new VeeamError('auth', `${this.host} rejected the credentials of ${this.definition.username}.`, where);
  }

  /** How a status is named in messages: 'HTTP 404'. */
  protected statusText(status: number): string { return `HTTP ${status}`; }

  /** An authenticated request: 401 → renew once; a GET is repeated once, nothing else is ever sent twice. */
  protected async send(method: Method, path: string, o: SendOptions = {}): Promise<HttpResponse> {
    if (this.closing) { throw new VeeamError('cancelled', 'The connection was closed.', { method, path }); }
    const request = (c: C) => this.transport.request({
      method, path, signal: o.signal, body: o.body, action: o.action, logPath: o.logPath, headers: { ...o.headers, ...this.authHeaders(c) },
    });
    const used = await this.credential(o.signal);
    const res = await request(used);
    if (res.status !== 401) { return res; }
    const fresh = await this.renew(used, o.signal);
    if (method !== 'GET') { throw this.unauthorized(res, method, path, true); }
    const again = await request(fresh);
    if (again.status === 401) { throw this.unauthorized(again, method, path, false); }
    return again;
  }

  /** An error answer as a VeeamError: a proxy's HTML page, else the server's message, the busy note and Retry-After. */
  protected httpError(res: HttpResponse, path: string, messageOf: (res: HttpResponse) => ServerMessage): VeeamError {
    const html = htmlError(res, path);
    if (html) { return html; }
    const { message, errorCode } = messageOf(res);
    const what = this.statusText(res.status);
    return new VeeamError('http', `${message ? `${message} (${what})` : `${what} from ${this.host} for ${path.split('?')[0]}.`}${busyNote(res)}`,
      { status: res.status, serverMessage: message, errorCode, path, retryAfterSeconds: retryAfter(res) });
  }

  /** Best-effort logout; dispose() runs it once, before the transport is released. */
  protected async close(): Promise<void> { /* nothing to log out of by default */ }

  async dispose(): Promise<void> {
    if (this.closing) { return; }
    this.closing = true;
    try { await this.close(); } catch { /* best effort */ } finally {
      this.life.abort();
      this.transport.dispose();
    }
  }
}
