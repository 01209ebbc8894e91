// Veeam Backup Enterprise Manager client: logon sessions (X-RestSvcSessionId), XML (or JSON)
// reads and paging through the query service. The tree (children, refresh, documents) is in
// tree.ts, the job actions as Tasks in actions.ts, session logs and the dashboard's reads in reads.ts.
// Transport, the 401 policy and error bodies come from BaseClient (../http/base).
//
// Requests (every list is a GET /api/query?type=…&format=Entities):
//   children(jobs folder)   the page of Jobs: one request, shown at once. Then (the page's `later`) per session
//                           type on it one query of the server's sessions of the last 7 days (BackupServerUid==…;
//                           CreationTime>=…, sortDesc, pageSize 1000) for each job's last state, result and
//                           FailureMessage, and only for jobs not found there one query per 25 of them over 31 days
//                           ((JobUid==…,…);CreationTime>=…): 1–2 requests a page usually, never one per job
//   refresh(job)            GET the job ?format=Entity and, at the same time, its newest session (pageSize 1)
//   startJob, retryJob      the job's newest session (pageSize 1), POST /api/jobs/{id}?action=start|retry,
//                           GET /api/tasks/{id} until Finished, then the newest session until a new one appears
//   stopJob                 POST ?action=stop, the Task, then the stopped session (GET it, or the job's newest)
//   setJobEnabled           GET the job (ScheduleEnabled); only if it differs POST ?action=toggleScheduleEnabled,
//                           the Task, GET the job again
//   sessionLog              EM has no log records: GET the session (still running?) and its task sessions,
//                           all pages of 1000 (JobSessionUid==…, sortAsc CreationTime); a task session: GET it
//   sessionsSince           BackupJobSession and ReplicaJobSession with CreationTime>=since(;<=until),
//                           sortDesc, pageSize 1000, up to `limit`: ceil(n/1000) per type
// Every list of several pages (queryAll): page 1, then the next pages one ahead of the one being parsed.
//   repositories            Repository, pageSize 1000 (one request up to 1000 repositories)
// Every POST is sent once (BaseClient never re-sends one after a 401; the transport never retries one).
import { VeeamError } from '../errors';
import { parseJson } from '../http/body';
import { HttpResponse, Method } from '../http/transport';
import { BaseClient, ServerMessage } from '../http/base';
import { waitFor } from '../http/wait';
import type {
  ClientDeps, Entity, Page, RawDocument, ServerClient, ServerDefinition, SessionFilter, SessionLog, SessionQuery,
} from '../model';
import { FilterExpr, eq, formatFilter } from './filter';
import { EmType, mapEntity } from './map';
import { Obj, arr, links, obj, text } from './xml';
import { parseXmlBody, serverMessage } from './parse';
import * as actions from './actions';
import * as reads from './reads';
import * as tree from './tree';

/** Pages of one query in flight at a time once the page count is known (queryAll). */
const AHEAD = 2;

const LIST_TAG: Record<EmType, string> = {
  BackupServer: 'BackupServers', Job: 'Jobs', Repository: 'Repositories', BackupJobSession: 'BackupJobSessions',
  ReplicaJobSession: 'ReplicaJobSessions', BackupTaskSession: 'BackupTaskSessions', ReplicaTaskSession: 'ReplicaTaskSessions',
};

export interface EmClientOptions {
  /** Representation used for reads: 'xml' (default, EM's native one) or 'json'. */
  wire?: 'xml' | 'json';
  /** Task polling interval in ms. Default 500. */
  pollMs?: number;
}

export interface QueryArgs { filter?: FilterExpr; sortAsc?: string; sortDesc?: string; page: number; pageSize?: number }

export class EmClient extends BaseClient<string> implements ServerClient {
  private token?: string;
  private sessionId?: string;
  private logonP?: Promise<string>;
  private versionP?: Promise<string>;
  private readonly wire: 'xml' | 'json';

  constructor(definition: ServerDefinition, deps: ClientDeps, private readonly options: EmClientOptions = {}) {
    super(definition, deps);
    this.wire = options.wire ?? 'xml';
  }

  // ---- for tree.ts, actions.ts and reads.ts ---------------------------------------------------

  /** Rows per page of the tree (the http.pageSize setting). */
  get pageSize(): number { return this.deps.http.pageSize; }
  /** The response timeout in ms (the http.timeoutMs setting). */
  get timeoutMs(): number { return this.deps.http.timeoutMs; }
  /** Task polling interval in ms. */
  get pollMs(): number { return this.options.pollMs ?? 500; }

  /** EM links are absolute; requests and messages use path and query (another host is refused by the transport). */
  local(href: string): string {
    const u = new URL(href, this.definition.url);
    return u.origin === new URL(this.definition.url).origin ? u.pathname + u.search : href;
  }

  // ---- authentication -------------------------------------------------------------------

  /**
   * GET /api/ (no auth): the versions this EM serves; returns the `v=` to log on with. One read for all
   * callers, on the client's own signal; `signal` only stops this caller's wait.
   */
  private version(signal?: AbortSignal): Promise<string> {
    this.versionP ??= (async () => {
      const path = '/api/';
      const res = await this.transport.request({ method: 'GET', path, headers: { Accept: 'application/xml' }, signal: this.ownSignal });
      if (res.status !== 200) { throw this.error(res, path); }
      const doc = parseXmlBody(res, path);
      const versions = arr(obj(doc.value.SupportedVersions).SupportedVersion).map((v) => text(v.Name)).filter((v): v is string => !!v);
      const pinned = this.definition.apiVersion;
      if (pinned && versions.length && !versions.includes(pinned)) {
        throw new VeeamError('config', `${this.host} supports the Enterprise Manager API versions ${versions.join(', ')}; the configured version ${pinned} is not one of them.`);
      }
      return pinned ?? 'latest';
    })().catch((e) => { this.versionP = undefined; throw e; });
    return waitFor(this.versionP, signal);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.version(signal);
    if (!this.token) { await this.logon(signal); }
  }

  /**
   * One logon in flight at a time, however many requests wait for it; resolves to the new session token.
   * It runs on the client's own signal; `signal` only stops this caller's wait.
   */
  private logon(signal?: AbortSignal): Promise<string> {
    this.logonP ??= this.doLogon().finally(() => { this.logonP = undefined; });
    return waitFor(this.logonP, signal);
  }

  private async doLogon(): Promise<string> {
    const user = this.definition.username;
    const password = await this.deps.credentials.password();
    if (password === undefined) {
      throw new VeeamError('auth', `No password stored for ${user} on ${this.host}.`);
    }
    const v = await this.version();
    const path = `/api/sessionMngr/?v=${encodeURIComponent(v)}`;
    const res = await this.transport.request({ method: 'POST', path, signal: this.ownSignal, headers: {
      Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`, Accept: 'application/xml', 'Content-Length': '0',
    } });
    if (res.status === 401 || res.status === 403) {
      const message = serverMessage(res);
      throw new VeeamError('auth', `${this.host} rejected the logon of ${user}${message ? `: ${message}` : '.'}`,
        { status: res.status, serverMessage: message, path: '/api/sessionMngr/' });
    }
    if (res.status < 200 || res.status >= 300) { throw this.error(res, '/api/sessionMngr/'); }
    const token = res.headers['x-restsvcsessionid'] ?? /X-RestSvcSessionId=([^;,\s]+)/i.exec(res.headers['set-cookie'] ?? '')?.[1];
    if (!token) { throw new VeeamError('malformed', `${this.host} accepted the logon but sent no X-RestSvcSessionId.`, { path: '/api/sessionMngr/' }); }
    let sessionId: string | undefined;
    try { sessionId = text(parseXmlBody(res, '/api/sessionMngr/').value.SessionId); } catch { /* logoff is best effort */ }
    this.token = token;
    this.sessionId = sessionId;
    return token;
  }

  // ---- BaseClient: logon sessions -------------------------------------------------------

  protected async credential(signal?: AbortSignal): Promise<string> { return this.token ?? this.logon(signal); }

  /** Idle-expired (or EM restarted): one new logon, unless another request already replaced `stale`. */
  protected async renew(stale: string, signal?: AbortSignal): Promise<string> {
    if (this.token && this.token !== stale) { return this.token; }
    this.token = undefined;
    return this.logon(signal);
  }

  protected authHeaders(token: string): Record<string, string> { return { 'X-RestSvcSessionId': token }; }

  protected override unauthorized(res: HttpResponse, method: Method, path: string, notResent: boolean): VeeamError {
    if (notResent) {
      const action = /[?&]action=(\w+)/.exec(path)?.[1] as actions.JobAction | undefined;
      const undone = (action && actions.ACTION_WORDS[action]?.undone) ?? 'nothing was sent twice. Try again';
      return new VeeamError('auth', `${this.host} rejected the logon session; ${undone} to use a new session.`,
        { status: res.status, method, path: path.split('?')[0] });
    }
    const e = this.error(res, path);
    return new VeeamError('auth', `${this.host} rejected the new logon session of ${this.definition.username}: ${e.message}`, { ...e.extra });
  }

  // ---- requests -------------------------------------------------------------------------

  /** One authenticated request (`action`: what a POST sets off); an answer outside 2xx is thrown as the server's error. */
  async call(method: Method, path: string, signal?: AbortSignal, accept = 'application/xml', action?: string): Promise<HttpResponse> {
    const res = await this.send(method, path, { signal, action, headers: { Accept: accept } });
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return res;
  }

  /** An error answer (<Error Message="…"/> or {"Message": …}) as a VeeamError. */
  private error(res: HttpResponse, path: string): VeeamError {
    return this.httpError(res, path, (r): ServerMessage => ({ message: serverMessage(r) }));
  }

  /** GET and parse in the configured representation. JSON comes back as the root object. */
  async read(path: string, signal?: AbortSignal): Promise<Obj> {
    if (this.wire === 'json') {
      const res = await this.call('GET', path, signal, 'application/json');
      const v = parseJson<unknown>(res, path);
      if (!v || typeof v !== 'object' || Array.isArray(v)) { throw new VeeamError('malformed', `Unexpected JSON from ${path}: expected an object.`, { path }); }
      return v as Obj;
    }
    return parseXmlBody(await this.call('GET', path, signal), path).value;
  }

  /** One page of a query (GET /api/query?type=…&format=Entities): its items, whether more pages follow
   * and, when the server says, how many pages there are. */
  async query(type: EmType, a: QueryArgs, signal?: AbortSignal): Promise<{ items: Obj[]; more: boolean; pages?: number }> {
    let path = `/api/query?type=${type}&format=Entities`;
    if (a.sortDesc) { path += `&sortDesc=${a.sortDesc}`; }
    if (a.sortAsc) { path += `&sortAsc=${a.sortAsc}`; }
    path += `&pageSize=${a.pageSize ?? this.deps.http.pageSize}&page=${a.page}`;
    if (a.filter) { path += `&filter=${encodeURIComponent(formatFilter(a.filter))}`; }
    const v = await this.read(path, signal);
    // XML: Entities/<List>/<Item>[]; JSON: {"Entities":{"<List>":{"<List>":[…]}}}
    const list = obj(obj(v.Entities)[LIST_TAG[type]]);
    const items = this.wire === 'json' ? arr(list[LIST_TAG[type]]) : arr(list[type]);
    const paging = obj(v.PagingInfo);
    if (!v.PagingInfo) { throw new VeeamError('malformed', `The query result for ${type} has no PagingInfo.`, { path }); }
    const pagesCount = text(paging.PagesCount);
    const pageNum = Number(text(paging.PageNum) ?? a.page), count = Number(pagesCount ?? 1);
    const next = links(paging).some((l) => l.Rel === 'Next');
    const pages = Number(pagesCount);
    return { items, more: next || pageNum < count, pages: Number.isInteger(pages) && pages > 0 ? pages : undefined };
  }

  /** One page of a query as entities (the cursor is the next page number). */
  async pageOf(type: EmType, a: QueryArgs, signal?: AbortSignal): Promise<Page> {
    const r = await this.query(type, a, signal);
    const now = Date.now();
    // Entities without a UID have only a key stem: give every one its position (the tree's ids derive from keys).
    const offset = (a.page - 1) * (a.pageSize ?? this.deps.http.pageSize);
    const items = r.items.map((o, i) => {
      const e = mapEntity(type, o, now);
      if (!e.id) { e.key = `${e.key}#${offset + i}`; }
      return e;
    });
    return { items, next: r.more ? String(a.page + 1) : undefined };
  }

  /** The job's newest session (sortDesc CreationTime, pageSize 1). */
  async newestSession(type: EmType, jobUid: string, signal?: AbortSignal): Promise<Obj | undefined> {
    return (await this.query(type, { page: 1, pageSize: 1, sortDesc: 'CreationTime', filter: eq('JobUid', jobUid) }, signal)).items[0];
  }

  /**
   * Every page of a query, BULK at a time, until `limit` items. When the first page says how many pages
   * there are, the next ones are asked for AHEAD at a time, so that the server builds page n + 1 while
   * this side parses page n (the same GETs, read-only; at most AHEAD - 1 more than needed when `limit`
   * ends the list early). Without a page count, one page after the other.
   */
  async queryAll(type: EmType, a: Omit<QueryArgs, 'page' | 'pageSize'>, limit: number, signal?: AbortSignal): Promise<Obj[]> {
    const pageSize = Math.max(1, Math.min(tree.BULK, limit));
    const first = await this.query(type, { ...a, page: 1, pageSize }, signal);
    const out: Obj[] = [...first.items];
    if (!first.more || !first.items.length || out.length >= limit) { return out.slice(0, limit); }
    // Without a page count, one page after the other (never a page past the end).
    const ahead = first.pages === undefined ? 1 : AHEAD;
    const last = Math.min(first.pages ?? Infinity, Math.ceil(limit / pageSize));
    const pending = new Map<number, Promise<{ items: Obj[]; more: boolean }>>();
    const ask = (page: number) => {
      if (page <= last && !pending.has(page)) {
        const p = this.query(type, { ...a, page, pageSize }, signal);
        p.catch(() => undefined); // awaited below in page order; a later page's failure must not go unhandled meanwhile
        pending.set(page, p);
      }
    };
    for (let page = 2; page <= last; page++) {
      for (let k = page; k < page + ahead; k++) { ask(k); }
      const r = await pending.get(page)!;
      pending.delete(page);
      out.push(...r.items);
      if (!r.more || !r.items.length || out.length >= limit) { break; }
    }
    return out.slice(0, limit);
  }

  // ---- ServerClient: the tree (tree.ts) -------------------------------------------------

  children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal, filter?: SessionFilter): Promise<Page> {
    return tree.children(this, parent, cursor, signal, filter);
  }

  refresh(e: Entity, signal?: AbortSignal): Promise<Entity> { return tree.refresh(this, e, signal); }

  document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> { return tree.document(this, e, format, signal); }

  // ---- ServerClient: job actions as Tasks (actions.ts) ----------------------------------

  startJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.startJob(this, job, signal, onStatus);
  }

  /** Retry a job whose last session failed or warned: POST ?action=retry, the Task, then the new (IsRetry) session. */
  retryJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.retryJob(this, job, signal, onStatus);
  }

  /** Stop a running job, or the job of a running session; returns the session to follow to its end, if it can be read. */
  stopJob(target: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity | undefined> {
    return actions.stopJob(this, target, signal, onStatus);
  }

  /** Enable or disable a job's schedule (the toggle is sent only when it differs); returns the job as it is afterwards. */
  setJobEnabled(job: Entity, enabled: boolean, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.setJobEnabled(this, job, enabled, signal, onStatus);
  }

  // ---- ServerClient: session logs and the dashboard's reads (reads.ts) ------------------

  /** A job session's task sessions (EM has no log records), or a task session's own start and result. */
  sessionLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> { return reads.sessionLog(this, session, signal); }

  /** Backup and replica job sessions created in the window, newest first, at most `limit`. */
  sessionsSince(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> { return reads.sessionsSince(this, q, signal); }

  /** Every repository of every backup server, with capacity and free space. */
  repositories(signal?: AbortSignal): Promise<Entity[]> { return reads.repositories(this, signal); }

  /** Log off (DELETE /api/logonSessions/{SessionId}), best effort; dispose() runs it once. */
  protected override async close(): Promise<void> {
    try { await this.logonP; } catch { /* nothing to log off */ }
    const token = this.token, sessionId = this.sessionId;
    this.token = undefined;
    if (token && sessionId) {
      try {
        await this.transport.request({ method: 'DELETE', path: `/api/logonSessions/${encodeURIComponent(sessionId)}`,
          logPath: '/api/logonSessions/{SessionId}', headers: { 'X-RestSvcSessionId': token }, signal: AbortSignal.timeout(3000) });
      } catch { /* best effort */ }
    }
  }
}
