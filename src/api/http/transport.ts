// The one HTTP transport every server kind uses: axios on Node's http/https (so VS Code's
// proxy support applies), per-request certificate trust, connect and response timeouts,
// cancellation, request logging without secrets, and retries for GETs only.
import axios, { AxiosError, AxiosInstance, AxiosResponse } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as tls from 'node:tls';
import { RequestLogEntry } from '../model';
import { VeeamError } from '../errors';
import { sleep } from './sleep';
import { retryAfter } from './body';
import { TrustOptions, describeCertificateProblem, isCertificateErrorCode, pinSocket, probeCertificate, requestTlsOptions } from './tls';

export interface TransportOptions extends TrustOptions {
  baseUrl: string;
  timeoutMs: number;
  connectTimeoutMs: number;
  log: (entry: RequestLogEntry) => void;
  /** Retries for idempotent requests (GET). POSTs are never retried. Default 2. */
  retries?: number;
  /** Base back-off in ms (doubled per attempt). Default 300. */
  backoffMs?: number;
  /** Longest Retry-After a GET waits for; a longer one fails at once. Default 30. */
  maxRetryAfterSeconds?: number;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: Method;
  /** Path and query, e.g. '/v8/Jobs?limit=30'. Absolute URLs on the same origin are accepted. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** What the request log shows instead of `path` when the path carries a session identifier. */
  logPath?: string;
  /** What a POST sets off (e.g. 'the sync of "Repo"'): named when its outcome is unknown after a failure. */
  action?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** Failures worth repeating a GET for. Not a response timeout: the server got the request and is slow. */
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);
/** Errors after which a POST may or may not have been carried out by the server. */
const UNSURE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export class Transport {
  private readonly axios: AxiosInstance;
  private readonly origin: string;
  private readonly agent: https.Agent;

  constructor(private readonly opts: TransportOptions) {
    const u = new URL(opts.baseUrl);
    this.origin = u.origin;
    // No TLS session resumption: a resumed session carries no peer certificate to check the pin against.
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0 });
    this.axios = axios.create({
      baseURL: this.origin,
      adapter: 'http',
      proxy: false,                       // proxying is VS Code's job (http.proxy), not axios's
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(d) => d],
      validateStatus: () => true,
      timeout: opts.timeoutMs,
      maxContentLength: MAX_BODY_BYTES,
      decompress: true,
      httpsAgent: this.agent,
      transport: this.transport(),
    });
  }

  /** A request function with per-request TLS options; axios calls it instead of https.request. */
  private transport(): { request: typeof https.request } {
    const { trustedFingerprint, caPem, connectTimeoutMs } = this.opts;
    const tlsOptions = requestTlsOptions({ trustedFingerprint, caPem });
    const request = (options: https.RequestOptions, cb?: (res: http.IncomingMessage) => void): http.ClientRequest => {
      const isHttps = options.protocol !== 'http:';
      const req = isHttps
        ? https.request({ ...options, ...tlsOptions }, cb)
        : http.request(options, cb);
      req.on('socket', (socket) => {
        if (socket.connecting) {
          const t = setTimeout(() => {
            socket.destroy(Object.assign(new Error(`connect timeout after ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }));
          }, connectTimeoutMs);
          socket.once('connect', () => clearTimeout(t));
          socket.once('close', () => clearTimeout(t));
        }
        if (isHttps && trustedFingerprint) {
          pinSocket(socket as tls.TLSSocket, trustedFingerprint, (err) => req.destroy(err));
        }
      });
      return req;
    };
    return { request: request as typeof https.request };
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const path = this.relative(req.path);
    const bad = suspectPart(path);
    if (bad) {
      // Always a client bug (an entity the server sent without an id): refuse before anything is sent.
      const err = new VeeamError('malformed',
        `Not sent: ${req.method} ${req.logPath ?? req.path} has ${bad} where an id or value belongs (the server sent an entity without it).`,
        { method: req.method, path: req.logPath ?? req.path });
      this.opts.log({ method: req.method, path: req.logPath ?? path, ms: 0, error: err.message });
      throw err;
    }
    const retries = req.method === 'GET' ? (this.opts.retries ?? 2) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(req, attempt);
        if (attempt < retries && RETRY_STATUSES.has(res.status)) {
          const after = retryAfter(res);
          // A server that asks for a longer pause than we are willing to wait gets its answer reported at once.
          if (after !== undefined && after > (this.opts.maxRetryAfterSeconds ?? 30)) { return res; }
          await this.backoff(attempt, req.signal, after);
          continue;
        }
        return res;
      } catch (e) {
        const err = e as VeeamError;
        const code = (err.extra?.cause as { code?: string } | undefined)?.code;
        if (attempt < retries && (err.kind === 'network' || err.kind === 'timeout') && !!code && RETRY_CODES.has(code)) {
          await this.backoff(attempt, req.signal);
          continue;
        }
        throw err;
      }
    }
  }

  private async once(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    const path = this.relative(req.path);
    const started = Date.now();
    const entry: RequestLogEntry = { method: req.method, path: req.logPath ?? path, ms: 0, attempt: attempt > 0 ? attempt + 1 : undefined };
    try {
      const res: AxiosResponse<string> = await this.axios.request({
        method: req.method, url: path, headers: req.headers, data: req.body, signal: req.signal,
      });
      entry.status = res.status;
      return { status: res.status, headers: flatHeaders(res.headers as Record<string, unknown>), text: res.data ?? '' };
    } catch (e) {
      const err = await this.translate(e, req);
      entry.error = err.message;
      if (err.kind === 'cancelled') { entry.cancelled = true; }
      throw err;
    } finally {
      entry.ms = Date.now() - started;
      this.opts.log(entry);
    }
  }

  private relative(p: string): string {
    if (/^https?:\/\//i.test(p)) {
      const u = new URL(p);
      if (u.origin !== this.origin) {
        throw new VeeamError('malformed', `The server sent a link to another host (${u.host}); not following it.`);
      }
      return u.pathname + u.search;
    }
    return p;
  }

  private async translate(e: unknown, req: HttpRequest): Promise<VeeamError> {
    if (e instanceof VeeamError) { return e; }
    const ax = e as AxiosError;
    const cause = (ax.cause ?? e) as Error & { code?: string };
    if (cause instanceof VeeamError) { return cause; }
    let code = cause.code ?? ax.code;
    // The body stopped half-way ("stream has been aborted", "aborted"): the peer closed the connection.
    if (code === 'ERR_BAD_RESPONSE' && !/maxContentLength/i.test(ax.message)) { code = 'ECONNRESET'; }
    const host = new URL(this.origin).host;
    const where = { method: req.method, path: this.relative(req.path), cause: { code } };
    if (axios.isCancel(e) || code === 'ERR_CANCELED' || req.signal?.aborted) {
      return new VeeamError('cancelled', 'Cancelled.', where);
    }
    // An action is never repeated; after these failures the admin has to look whether it happened.
    const unsure = req.action && req.method !== 'GET' && !!code && UNSURE_CODES.has(code)
      ? ` Whether ${req.action} started is unknown (it was not repeated): check on the server before trying again.` : '';
    if (isCertificateErrorCode(code)) {
      let certificate;
      try { certificate = { ...(await probeCertificate(this.origin, 5000)), reason: code }; } catch { /* reported below */ }
      return new VeeamError('certificate', describeCertificateProblem(code, certificate, new URL(this.origin).hostname), { ...where, certificate });
    }
    if (code === 'ECONNABORTED' && /timeout/i.test(ax.message)) {
      return new VeeamError('timeout', `${host} did not answer within ${this.opts.timeoutMs / 1000} s.${unsure}`, where);
    }
    if (code === 'ETIMEDOUT') {
      return new VeeamError('timeout', `Could not connect to ${host} within ${this.opts.connectTimeoutMs / 1000} s.`, where);
    }
    if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/i.test(ax.message)) {
      return new VeeamError('malformed', `The response from ${host} is larger than ${MAX_BODY_BYTES / 1048576} MB.`, where);
    }
    const text: Record<string, string> = {
      ECONNREFUSED: `${host} refused the connection. Is the Veeam service running and the port right?`,
      ENOTFOUND: `The host name ${new URL(this.origin).hostname} could not be resolved.`,
      EAI_AGAIN: `The host name ${new URL(this.origin).hostname} could not be resolved (DNS not answering).`,
      ECONNRESET: `${host} closed the connection unexpectedly.`,
      EHOSTUNREACH: `${host} is unreachable.`,
      ENETUNREACH: `The network to ${host} is unreachable.`,
      EPROTO: `TLS handshake with ${host} failed. Is this an HTTPS port?`,
    };
    return new VeeamError('network', (text[code ?? ''] ?? `Request to ${host} failed: ${cause.message || ax.message}`) + unsure, where);
  }

  private backoff(attempt: number, signal: AbortSignal | undefined, retryAfterSeconds?: number): Promise<void> {
    const base = this.opts.backoffMs ?? 300;
    const ms = retryAfterSeconds !== undefined ? Math.min(retryAfterSeconds * 1000, 30000) : base * 2 ** attempt;
    return sleep(ms, signal);
  }

  dispose(): void {
    this.agent.destroy();
  }
}

const NOTHING = /^(null|undefined)$/i;

/**
 * What makes a path and query unfit to send, or undefined: a path segment or query value that is
 * "null" or "undefined" (as `${x}` and String(x) write them; also percent-encoded), an empty segment
 * inside the path ("//"; a trailing slash is fine), an empty value of an id parameter (`jobId=`), or
 * a comparison with null/undefined or of an id with "" in a filter value (`JobUid==null`, `JobUid==""`).
 */
function suspectPart(pathAndQuery: string): string | undefined {
  const q = pathAndQuery.indexOf('?');
  const pathPart = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const segments = pathPart.split('/').slice(1);
  for (let i = 0; i < segments.length; i++) {
    const seg = decode(segments[i]);
    if (NOTHING.test(seg)) { return `"${seg}" in the path`; }
    if (seg === '' && i < segments.length - 1) { return 'an empty segment ("//") in the path'; }
  }
  if (q < 0) { return undefined; }
  for (const [key, value] of new URLSearchParams(pathAndQuery.slice(q + 1))) {
    if (NOTHING.test(value)) { return `${key}=${value}`; }
    if (value === '' && /(id|uid)$/i.test(key)) { return `an empty ${key}`; }
    const cmp = /(==|!=|<=|>=|<|>)(null|undefined)(?=$|[;,)])/i.exec(value) ?? /\w*(id|uid)(==|!=)""(?=$|[;,)])/i.exec(value);
    if (cmp) { return `"${cmp[0]}" in ${key}`; }
  }
  return undefined;
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

function flatHeaders(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && v !== null) { out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v); }
  }
  return out;
}
