// The Veeam Backup & Replication REST client (port 9419): revision detection, bearer tokens,
// `x-api-version` on every request, paged collections, the tree, documents and the job actions.
import type { ClientDeps, Entity, Page, RawDocument, ServerClient, ServerDefinition, SessionLog, SessionQuery } from '../model';
import { VeeamError } from '../errors';
import { HttpResponse, Method, Transport } from '../http/transport';
import { parseJson } from '../http/body';
import { VbrAuth } from './auth';
import { Revision, atLeast, detectRevision, waitFor } from './revision';
import { httpError } from './errors';
import { NormCtx, Obj, idOf, obj } from './normalize';
import { canon, resultStatus } from './enums';
import { VbrTree } from './tree';
import * as actions from './actions';
import * as logs from './logs';
import * as reports from './reports';

/** Rows asked for per request when a list is read in full, and the most pages read. */
const FULL_PAGE = 200;
const MAX_PAGES = 50;
/** Messages of ended sessions kept for their jobs' rows. */
const MAX_MESSAGES = 2000;


interface Cursor { skip: number }

export class VbrClient implements ServerClient {
  private readonly transport: Transport;
  private readonly auth: VbrAuth;
  private readonly tree = new VbrTree(this);
  /** The client's own lifetime: shared work (detection, token renewal) runs on it; dispose aborts it. */
  private readonly life = new AbortController();
  private revisionP?: Promise<Revision>;
  /** The detected revision, once known (logout needs it without waiting). */
  private known?: Revision;
  private disposed = false;
  /** Failure/warning messages of ended sessions this client has read, by session id (oldest first). */
  private readonly messages = new Map<string, string>();
  /** Set when the server refused the 1.3 `typeFilter` list of job session types (sessionsSince then filters itself). */
  noTypeFilter = false;

  constructor(readonly definition: ServerDefinition, private readonly deps: ClientDeps) {
    this.transport = new Transport({
      baseUrl: definition.url, trustedFingerprint: definition.trustedCertificate, caPem: deps.caPem,
      timeoutMs: deps.http.timeoutMs, connectTimeoutMs: deps.http.connectTimeoutMs, log: deps.log,
    });
    this.auth = new VbrAuth(this.transport, definition.username, this.host, deps.credentials,
      async (signal) => (await this.revision(signal)).name, this.life.signal);
  }

  get host(): string { return new URL(this.definition.url).host; }

  /** The revision in use: pinned (checked once) or detected; one detection however many callers wait. */
  revision(signal?: AbortSignal): Promise<Revision> {
    if (this.disposed) { return Promise.reject(new VeeamError('cancelled', 'The connection was closed.')); }
    if (!this.revisionP) {
      const p = detectRevision(this.transport, this.host, this.definition.apiVersion?.trim() || undefined, this.life.signal);
      this.revisionP = p;
      p.then((r) => { this.known = r; }, () => { if (this.revisionP === p) { this.revisionP = undefined; } });
    }
    return waitFor(this.revisionP, signal);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.revision(signal);
    await this.auth.bearer(signal);
  }

  // ---- requests -----------------------------------------------------------------------------

  /** One authenticated request. A 401 renews the token once; a GET is then repeated, a POST never. */
  async call(method: Method, path: string, signal?: AbortSignal, body?: unknown, action?: string): Promise<HttpResponse> {
    if (this.disposed) { throw new VeeamError('cancelled', 'The connection was closed.'); }
    const rev = await this.revision(signal);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const send = (access: string) => this.transport.request({ method, path, signal, body: text, action, headers: {
      authorization: `Bearer ${access}`, 'x-api-version': rev.name, accept: 'application/json',
      ...(text !== undefined ? { 'content-type': 'application/json' } : {}),
    } });
    const token = await this.auth.bearer(signal);
    const res = await send(token.access);
    if (res.status !== 401) { return res; }
    if (method !== 'GET') {
      // Never re-sent: renew for the next try and say that this one did nothing.
      let note = ' (a new session is ready)';
      try { await this.auth.renew(token, signal); } catch (e) { note = `; the new logon failed too: ${(e as VeeamError).message.replace(/[.\s]+$/, '')}`; }
      throw new VeeamError('auth', `${this.host} rejected the session of ${this.definition.username} (HTTP 401); nothing was started/stopped; try again${note}.`,
        { status: 401, method, path: path.split('?')[0] });
    }
    const renewed = await this.auth.renew(token, signal);
    const again = await send(renewed.access);
    if (again.status === 401) {
      throw new VeeamError('auth', `${this.host} rejected the credentials of ${this.definition.username} (HTTP 401 after a new logon).`,
        { status: 401, method, path: path.split('?')[0] });
    }
    return again;
  }

  /** Throws the server's error for a status outside 2xx. */
  ok(res: HttpResponse, method: Method, path: string): HttpResponse {
    if (res.status < 200 || res.status >= 300) { throw httpError(res, method, path, this.definition.username, this.host); }
    return res;
  }

  async json(path: string, signal?: AbortSignal): Promise<Obj> {
    const res = this.ok(await this.call('GET', path, signal), 'GET', path);
    const v = parseJson<unknown>(res, path.split('?')[0]);
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      throw new VeeamError('malformed', `Unexpected answer from ${path.split('?')[0]}: expected an object.`, { path: path.split('?')[0] });
    }
    return v as Obj;
  }

  /** One page of a `{data, pagination}` collection. */
  async page(path: string, skip: number, limit: number, signal?: AbortSignal): Promise<{ data: Obj[]; next?: number }> {
    const sep = path.includes('?') ? '&' : '?';
    const b = await this.json(`${path}${sep}skip=${skip}&limit=${limit}`, signal);
    if (!Array.isArray(b.data)) {
      throw new VeeamError('malformed', `Unexpected answer from ${path.split('?')[0]}: no "data" list.`, { path: path.split('?')[0] });
    }
    const data = (b.data as unknown[]).map(obj);
    const total = Number(obj(b.pagination).total);
    const more = data.length > 0 && (Number.isFinite(total) ? skip + data.length < total : data.length >= limit);
    return { data, next: more ? skip + data.length : undefined };
  }

  /** Every page of a collection. */
  async all(path: string, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let skip: number | undefined = 0;
    for (let i = 0; skip !== undefined && i < MAX_PAGES; i++) {
      const p = await this.page(path, skip, FULL_PAGE, signal);
      out.push(...p.data);
      skip = p.next;
    }
    return out;
  }

  async paged(path: string, cursor: string | undefined, map: (o: Obj) => Entity, signal?: AbortSignal): Promise<Page> {
    const skip = cursor ? parseCursor(cursor).skip : 0;
    const p = await this.page(path, skip, this.deps.http.pageSize, signal);
    // Each payload is let go as soon as it is mapped: the parsed page (~3 MB for 1,000 sessions) is not kept
    // alive beside its entities, which the garbage collector would otherwise copy and promote with them.
    const raw = p.data as (Obj | undefined)[];
    const items = new Array<Entity>(raw.length);
    for (let i = 0; i < raw.length; i++) { items[i] = map(raw[i]!); raw[i] = undefined; }
    return { items, next: p.next !== undefined ? JSON.stringify({ skip: p.next } satisfies Cursor) : undefined };
  }

  async norm(signal?: AbortSignal): Promise<NormCtx> {
    const rev = await this.revision(signal);
    return { canRetry: atLeast(rev, '1.3-rev0'), zone: rev, now: Date.now() };
  }

  // ---- what was read about sessions ------------------------------------------------------------

  /**
   * Note the message of an ended failed or warning session (a SessionModel just read). `/jobs/states`
   * names a job's last session but not its message: a job row shows the message once the client has
   * read that session anyway (its job's sessions listed, the session watched, sessionsSince), at no cost.
   */
  remember(s: Obj): void {
    const r = obj(s.result);
    const message = typeof r.message === 'string' ? r.message.trim() : '';
    if (!message) { return; }                             // most sessions: a success says nothing
    const id = idOf(s.id);
    const result = resultStatus(r.result);
    if (!id || canon(s.state) !== 'stopped' || (result !== 'failed' && result !== 'warning')) { return; }
    this.messages.delete(id);
    this.messages.set(id, message);
    if (this.messages.size > MAX_MESSAGES) { this.messages.delete(this.messages.keys().next().value as string); }
  }

  /** The message of an ended failed or warning session, if this client has read it. */
  lastMessage(sessionId: string | undefined): string | undefined {
    return sessionId ? this.messages.get(sessionId) : undefined;
  }

  // ---- the tree (tree.ts) ---------------------------------------------------------------------

  children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    return this.tree.children(parent, cursor, signal);
  }

  /** Re-read one entity (watching running work). */
  refresh(e: Entity, signal?: AbortSignal): Promise<Entity> { return this.tree.refresh(e, signal); }

  /** JSON: the payload exactly as received; XML: built from it. */
  document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> { return this.tree.document(e, format, signal); }

  // ---- logs and reports (logs.ts, reports.ts) ---------------------------------------------------

  /** The log of a job session or a task session, oldest first; `running` from the session's state. */
  sessionLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> { return logs.sessionLog(this, session, signal); }

  /** Job sessions created in a window, newest first (one request per 1,000 sessions). */
  sessionsSince(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> { return reports.sessionsSince(this, q, signal); }

  /** Every repository with its capacity and free space (repository states). */
  repositories(signal?: AbortSignal): Promise<Entity[]> { return reports.repositories(this, signal); }

  // ---- actions (one POST each, never retried) ------------------------------------------------------

  startJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.startJob(this, job, signal, onStatus);
  }

  /** Stop a running job (its session is returned) or one session (re-read after the stop). Not graceful: the commands say the session ends now. */
  stopJob(target: Entity, signal?: AbortSignal, _onStatus?: (message: string) => void, options?: { graceful?: boolean }): Promise<Entity> {
    return actions.stopJob(this, target, signal, options);
  }

  /** Retry the failed objects of a job's last run (REST API 1.3 and later). */
  retryJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.retryJob(this, job, signal, onStatus);
  }

  /** Enable a disabled job; returns the job read again. */
  enableJob(job: Entity, signal?: AbortSignal): Promise<Entity> { return actions.setEnabled(this, job, true, signal); }

  /** Disable a job (its schedule no longer runs it); returns the job read again. */
  disableJob(job: Entity, signal?: AbortSignal): Promise<Entity> { return actions.setEnabled(this, job, false, signal); }

  setJobEnabled(job: Entity, enabled: boolean, signal?: AbortSignal): Promise<Entity> { return actions.setEnabled(this, job, enabled, signal); }

  async dispose(): Promise<void> {
    if (this.disposed) { return; }
    this.disposed = true;
    this.life.abort();
    await this.auth.logout(this.known?.name);
    this.transport.dispose();
  }
}

function parseCursor(cursor: string): Cursor {
  try {
    const c = JSON.parse(cursor) as Cursor;
    if (Number.isInteger(c.skip) && c.skip >= 0) { return c; }
  } catch { /* reported below */ }
  throw new VeeamError('config', `Invalid page cursor "${cursor}".`);
}
