// The VB365 REST client: version detection, bearer auth, requests and paging (bare arrays and paged
// envelopes). The tree (children, refresh, documents) is in tree.ts, the actions (sync, start, stop,
// enable, disable) in actions.ts, session logs and the dashboard's reads (sessionsSince, repositories)
// in reads.ts. Returns normalized entities plus raw payloads.
// Transport, the 401 policy and error bodies come from BaseClient (../http/base).
//
// Requests per method (N = the API version):
//   sessionLog(job session)  GET /vN/JobSessions/{id} (only when the entity still says it runs), then
//                            GET /vN/JobSessions/{id}/LogItems?offset&limit=10000[&setId] per page, every page
//   sessionLog(sync session) GET /vN/RepositorySynchronizeSessions/{id} (VB365 keeps no log for syncs)
//   stopJob                  POST /vN/Jobs/{jobId}/stop (v6+); POST /vN/Jobs/{jobId}/action {"stop":null} (v4/v5)
//   setJobEnabled            POST /vN/Jobs/{id}/enable|disable (v6+); …/action {"enable":null}|{"disable":null} (v4/v5)
//   sessionsSince            GET /vN/Jobs (job names), then v7+: GET /vN/JobSessions?offset&limit=10000 page by page;
//                            v4–v6: GET /vN/Jobs/{id}/JobSessions?offset&limit=10000 per job; each until older than `since`
//   repositories             GET /vN/BackupRepositories (v8: pages of 500)
// No retryJob: the VB365 REST API has no retry action in any version. Every POST is sent once.
import { ClientDeps, Entity, Page, RawDocument, ServerClient, ServerDefinition, SessionLog, SessionQuery } from '../model';
import { VeeamError } from '../errors';
import { HttpResponse, Method } from '../http/transport';
import { parseJson } from '../http/body';
import { BaseClient, jsonErrorMessage } from '../http/base';
import { waitFor } from '../http/wait';
import { Token, Vb365Auth } from './auth';
import * as actions from './actions';
import * as reads from './reads';
import * as tree from './tree';

type Obj = Record<string, unknown>;
const VERSIONS = [8, 7, 6, 5, 4];
/** Pages fetched at most when a list is read in full (organizations, repositories, jobs). */
const MAX_PAGES = 50;
/** The largest page VB365 serves (limit's documented maximum): logs and sessionsSince read with it. */
const BIG_PAGE = 10_000;

export class Vb365Client extends BaseClient<Token> implements ServerClient {
  private readonly auth: Vb365Auth;
  private versionP?: Promise<number>;

  constructor(definition: ServerDefinition, deps: ClientDeps) {
    super(definition, deps);
    this.auth = new Vb365Auth(this.transport, definition.username, deps.credentials, () => this.version(), this.ownSignal);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.version(signal);
    await this.auth.bearer(signal);
  }

  /** Obtain the bearer token now (the tree's root shows authentication problems on the server node). */
  async authenticate(signal?: AbortSignal): Promise<void> { await this.auth.bearer(signal); }

  /** Rows per page of the tree (the http.pageSize setting). */
  get pageSize(): number { return this.deps.http.pageSize; }

  /**
   * The API version: pinned in the definition, else the newest the server answers. One detection for all
   * callers, on the client's own signal; `signal` only stops this caller's wait.
   */
  version(signal?: AbortSignal): Promise<number> {
    this.versionP ??= this.detect(this.ownSignal).catch((e) => { this.versionP = undefined; throw e; });
    return waitFor(this.versionP, signal);
  }

  /**
   * Newest first, without credentials: `GET /vN/ServiceInstance` for v8, v7, v6 (it exists from v6 on), then
   * `GET /vN/Organizations` for v5, v4 (served by every version; ServiceInstance is 404 there). 200, 401 or 403
   * means the version is served, 404 that it is not. A v8 server costs 1 request, v7 2, v6 3, v5 4, v4 5.
   */
  private async detect(signal?: AbortSignal): Promise<number> {
    const pinned = /^v?(\d+)$/i.exec(this.definition.apiVersion ?? '');
    if (pinned) { return Number(pinned[1]); }
    for (const v of VERSIONS) {
      const path = v >= 6 ? `/v${v}/ServiceInstance` : `/v${v}/Organizations`;
      const res = await this.transport.request({ method: 'GET', path, signal, headers: { accept: 'application/json' } });
      if (res.status === 200 || res.status === 401 || res.status === 403) { return v; }
      if (res.status !== 404) { throw this.error(res, path); }
    }
    throw new VeeamError('config', 'This server answers none of the VB365 REST API versions v4–v8. Is the URL right (https://host:4443)?');
  }

  // ---- BaseClient: bearer tokens --------------------------------------------------------

  protected credential(signal?: AbortSignal): Promise<Token> { return this.auth.bearer(signal); }
  protected renew(stale: Token, signal?: AbortSignal): Promise<Token> { return this.auth.renew(stale, signal); }
  protected authHeaders(t: Token): Record<string, string> { return { authorization: `Bearer ${t.access}` }; }

  protected override unauthorized(res: HttpResponse, method: Method, path: string, notResent: boolean): VeeamError {
    const where = { status: res.status, method, path };
    return notResent
      ? new VeeamError('auth', 'The server rejected the session; nothing was started. The session has been renewed: try again.', where)
      : new VeeamError('auth', `The server rejected the credentials of ${this.definition.username}.`, where);
  }

  protected override statusText(status: number): string {
    return status === 403 ? 'Access denied' : status === 404 ? 'Not found' : super.statusText(status);
  }

  // ---- requests and paging (for tree.ts, actions.ts and reads.ts) ----------------------------

  /** An error answer (RESTExceptionInfo {message, errorCode}) as a VeeamError. */
  error(res: HttpResponse, path: string): VeeamError { return this.httpError(res, path, jsonErrorMessage); }

  /** One POST of a job action, never repeated; a refusal is a VeeamError with the server's message. */
  async post(path: string, body: Obj | undefined, action: string, signal?: AbortSignal): Promise<HttpResponse> {
    const res = await this.call('POST', path, signal, body === undefined ? undefined : JSON.stringify(body), action);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return res;
  }

  /** One authenticated JSON request, whatever the answer's status. */
  call(method: Method, path: string, signal?: AbortSignal, body?: string, action?: string): Promise<HttpResponse> {
    return this.send(method, path, { signal, body, action,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) } });
  }

  /** GET and parse JSON; an answer outside 2xx is thrown as the server's error. */
  async json(path: string, signal?: AbortSignal): Promise<unknown> {
    const res = await this.call('GET', path, signal);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return parseJson(res, path);
  }

  /** One page of a collection that is a bare array in some versions and a paged envelope in others. */
  async page(path: string, offset: number, limit: number, setId: string | undefined, signal?: AbortSignal):
    Promise<{ items: Obj[]; next?: { offset: number; setId?: string } }> {
    const sep = path.includes('?') ? '&' : '?';
    const q = `${sep}offset=${offset}&limit=${limit}${setId ? `&setId=${encodeURIComponent(setId)}` : ''}`;
    const body = await this.json(path + q, signal);
    if (Array.isArray(body)) { return { items: body as Obj[] }; }
    if (!body || typeof body !== 'object' || !Array.isArray((body as Obj).results)) {
      throw new VeeamError('malformed', `Unexpected answer from ${path}: neither a list nor a page of results.`, { path });
    }
    const b = body as Obj & { results: Obj[] };
    const links = (b._links ?? {}) as Obj;
    const more = !!links.next || b.results.length >= limit;
    return {
      items: b.results,
      next: more && b.results.length > 0 ? { offset: offset + b.results.length, setId: typeof b.setId === 'string' ? b.setId : undefined } : undefined,
    };
  }

  /** Every page of a collection, 500 at a time, MAX_PAGES at most. */
  async all(path: string, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
    for (let i = 0; cursor && i < MAX_PAGES; i++) {
      const p = await this.page(path, cursor.offset, 500, cursor.setId, signal);
      out.push(...p.items);
      cursor = p.next;
    }
    return out;
  }

  /** Every page of a paged collection with the largest page (setId kept from v7 on), `maxPages` at most. */
  async every(path: string, maxPages: number, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
    for (let i = 0; cursor && i < maxPages; i++) {
      const p = await this.page(path, cursor.offset, BIG_PAGE, cursor.setId, signal);
      out.push(...p.items);
      cursor = p.next;
    }
    return out;
  }

  /** Pages of a collection with the largest page (setId kept), MAX_PAGES at most, each given to `take` until it returns true. */
  async pages(path: string, take: (items: Obj[]) => boolean, signal?: AbortSignal): Promise<void> {
    let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
    for (let i = 0; cursor && i < MAX_PAGES; i++) {
      const p = await this.page(path, cursor.offset, BIG_PAGE, cursor.setId, signal);
      if (take(p.items)) { return; }
      cursor = p.next;
    }
  }

  // ---- ServerClient: the tree (tree.ts) -------------------------------------------------

  children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    return tree.children(this, parent, cursor, signal);
  }

  refresh(e: Entity, signal?: AbortSignal): Promise<Entity> { return tree.refresh(this, e, signal); }

  document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> { return tree.document(this, e, format, signal); }

  // ---- ServerClient: actions, one POST each (actions.ts) --------------------------------

  sync(repo: Entity, signal?: AbortSignal): Promise<Entity> { return actions.sync(this, repo, signal); }

  startJob(job: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity> {
    return actions.startJob(this, job, signal, onStatus);
  }

  /** Stop a running job, or the job of a running session; a session given is returned to be followed to its end. */
  stopJob(target: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity | undefined> {
    return actions.stopJob(this, target, signal, onStatus);
  }

  /** Enable or disable a job (its schedule); undefined = read the job again. */
  setJobEnabled(job: Entity, enabled: boolean, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity | undefined> {
    return actions.setJobEnabled(this, job, enabled, signal, onStatus);
  }

  // ---- ServerClient: session logs and the dashboard's reads (reads.ts) ------------------

  /** The log of a job session (every LogItems page, oldest first) or what a sync session says of itself. */
  sessionLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> { return reads.sessionLog(this, session, signal); }

  /** Job sessions created in [since, until], newest first, at most `limit`. */
  sessionsSince(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> { return reads.sessionsSince(this, q, signal); }

  /** Every repository with its capacity and free space (where the server reports both). */
  repositories(signal?: AbortSignal): Promise<Entity[]> { return reads.repositories(this, signal); }

  protected override close(): Promise<void> { return this.auth.logout(); }
}
