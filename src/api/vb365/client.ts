// The VB365 REST client: version detection, bearer auth, version-specific paths and
// envelopes, the actions (sync, start, stop, enable, disable), session logs, and the dashboard's
// reads (sessionsSince, repositories). Returns normalized entities plus raw payloads.
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
import * as N from './normalize';
import { toXml } from './xml';

type Obj = Record<string, unknown>;
const VERSIONS = [8, 7, 6, 5, 4];
/** Pages fetched at most when a list is read in full (organizations, repositories, jobs). */
const MAX_PAGES = 50;
/** The largest page VB365 serves (limit's documented maximum): logs and sessionsSince read with it. */
const BIG_PAGE = 10_000;
/** Pages of a session log read at most (a million records). */
const MAX_LOG_PAGES = 100;
/** sessionsSince: sessions returned at most by default. */
const DEFAULT_SESSIONS_LIMIT = 10_000;

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

  /** An error answer (RESTExceptionInfo {message, errorCode}) as a VeeamError. */
  private error(res: HttpResponse, path: string): VeeamError { return this.httpError(res, path, jsonErrorMessage); }

  /** One POST of a job action, never repeated; a refusal is a VeeamError with the server's message. */
  private async post(path: string, body: Obj | undefined, action: string, signal?: AbortSignal): Promise<HttpResponse> {
    const res = await this.call('POST', path, signal, body === undefined ? undefined : JSON.stringify(body), action);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return res;
  }

  private call(method: Method, path: string, signal?: AbortSignal, body?: string, action?: string): Promise<HttpResponse> {
    return this.send(method, path, { signal, body, action,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) } });
  }

  private async json(path: string, signal?: AbortSignal): Promise<unknown> {
    const res = await this.call('GET', path, signal);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return parseJson(res, path);
  }

  /** One page of a collection that is a bare array in some versions and a paged envelope in others. */
  private async page(path: string, offset: number, limit: number, setId: string | undefined, signal?: AbortSignal):
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

  private async all(path: string, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
    for (let i = 0; cursor && i < MAX_PAGES; i++) {
      const p = await this.page(path, cursor.offset, 500, cursor.setId, signal);
      out.push(...p.items);
      cursor = p.next;
    }
    return out;
  }

  async children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    const v = await this.version(signal);
    if (!parent) {
      await this.auth.bearer(signal); // surface authentication problems on the server node
      return { items: [N.folder('orgs', 'Organizations'), N.folder('repos', 'Repositories'), N.folder('jobs', 'Jobs')] };
    }
    switch (parent.type) {
      case 'folder':
        if (parent.ref.folder === 'orgs') { return { items: distinct((await this.all(`/v${v}/Organizations`, signal)).map((o) => N.organization(o))) }; }
        if (parent.ref.folder === 'repos') { return { items: distinct((await this.all(`/v${v}/BackupRepositories`, signal)).map((r) => N.repository(r))) }; }
        if (parent.ref.folder === 'jobs') { return { items: distinct((await this.all(`/v${v}/Jobs`, signal)).map((j) => N.job(j))) }; }
        return { items: [] };
      // Nothing is listed under an entity the server sent without an id (its requests would carry none).
      case 'job': return parent.id ? this.jobSessions(v, parent, cursor, signal) : { items: [] };
      case 'repository': {
        if (!parent.id) { return { items: [] }; }
        return { items: distinct((await this.syncSessions(v, parent.id, signal)).map((s) => N.syncSession(s, parent.name))) };
      }
      default: return { items: [] };
    }
  }

  /** The sync sessions of one repository (the collection is a bare array in every version; a page is accepted too). */
  private async syncSessions(v: number, repositoryId: string, signal?: AbortSignal): Promise<Obj[]> {
    const list = await this.json(`/v${v}/RepositorySynchronizeSessions`, signal);
    const arr = (Array.isArray(list) ? list : ((list as Obj)?.results as Obj[] | undefined) ?? []) as Obj[];
    return arr.filter((s) => s.repositoryId === repositoryId);
  }

  private async jobSessions(v: number, job: Entity, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    const c = cursor ? (JSON.parse(cursor) as { offset: number; setId?: string }) : { offset: 0 };
    const id = encodeURIComponent(idOf(job, 'its sessions cannot be listed'));
    const path = v >= 7 ? `/v${v}/JobSessions?jobId=${id}` : `/v${v}/Jobs/${id}/JobSessions`;
    const p = await this.page(path, c.offset, this.deps.http.pageSize, c.setId, signal);
    const now = Date.now();
    const ctx = { jobId: job.id, jobName: job.name };
    const items = distinct(p.items.map((s) => N.jobSession(s, now, ctx)), c.offset);
    return { items, next: p.next ? JSON.stringify(p.next) : undefined };
  }

  private selfPath(v: number, e: Entity): string {
    const id = encodeURIComponent(idOf(e, 'it has no document of its own on the server'));
    switch (e.type) {
      case 'organization': return `/v${v}/Organizations/${id}`;
      case 'repository': return `/v${v}/BackupRepositories/${id}`;
      case 'job': return `/v${v}/Jobs/${id}`;
      case 'jobSession': return `/v${v}/JobSessions/${id}`;
      case 'syncSession': return `/v${v}/RepositorySynchronizeSessions/${id}`;
      default: throw new VeeamError('config', `${e.name} has no document of its own.`);
    }
  }

  async refresh(e: Entity, signal?: AbortSignal): Promise<Entity> {
    if (!e.id) {
      // A sync session without an id (v4 documents none) is found again in its repository's list; other
      // entities without an id cannot be re-read and stay as they are.
      if (e.type !== 'syncSession' || !e.ref.repositoryId) { return e; }
      const v = await this.version(signal);
      const list = await this.syncSessions(v, e.ref.repositoryId, signal);
      const s = list.find((x) => x.state === 'Synchronizing') ?? list[list.length - 1];
      if (!s) { throw new VeeamError('http', `The sync session of ${e.ref.repositoryName || 'the repository'} is no longer listed.`, { status: 404 }); }
      return { ...N.syncSession(s, e.ref.repositoryName || undefined), key: e.key };
    }
    const v = await this.version(signal);
    const body = await this.json(this.selfPath(v, e), signal) as Obj;
    return this.normalize(e, body);
  }

  private normalize(e: Entity, body: Obj): Entity {
    switch (e.type) {
      case 'organization': return N.organization(body);
      case 'repository': return N.repository(body);
      case 'job': return N.job(body);
      case 'jobSession': return N.jobSession(body, Date.now(), { jobId: e.ref.jobId || undefined, jobName: e.jobName });
      case 'syncSession': return N.syncSession(body, e.ref.repositoryName || undefined);
      default: return e;
    }
  }

  async document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
    if (!e.id && e.ref.raw !== undefined) {
      // No id to read it by: the payload as it came in the list.
      return format === 'json' ? { contentType: 'json', text: e.ref.raw } : { contentType: 'xml', text: toXml(JSON.parse(e.ref.raw), e.type) };
    }
    const v = await this.version(signal);
    const path = this.selfPath(v, e);
    const res = await this.call('GET', path, signal);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    if (format === 'json') { return { contentType: 'json', text: res.text }; }
    return { contentType: 'xml', text: toXml(parseJson(res, path), e.type) };
  }

  async sync(repo: Entity, signal?: AbortSignal): Promise<Entity> {
    const v = await this.version(signal);
    const repoId = idOf(repo, 'it cannot be synchronized');
    const id = encodeURIComponent(repoId);
    const path = v >= 6 ? `/v${v}/BackupRepositories/${id}/Sync` : `/v${v}/BackupRepositories/${id}/action`;
    const res = await this.call('POST', path, signal, v >= 6 ? undefined : JSON.stringify({ sync: null }), `the sync of "${repo.name}"`);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    const body = res.text.trim() ? parseJson<Obj>(res, path) : {};
    if (body && typeof body.id === 'string' && body.id) { return N.syncSession(body, repo.name); }
    // v4 documents no id in the answer: find the running session of this repository.
    const running = (await this.syncSessions(v, repoId, signal)).find((s) => s.state === 'Synchronizing');
    if (!running) { throw new VeeamError('malformed', `The sync of ${repo.name} was accepted but no running sync session was found.`); }
    return N.syncSession(running, repo.name);
  }

  async startJob(job: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity> {
    const v = await this.version(signal);
    const id = encodeURIComponent(idOf(job, 'it cannot be started'));
    const path = v >= 6 ? `/v${v}/Jobs/${id}/start` : `/v${v}/Jobs/${id}/action`;
    const startedAfter = Date.now() - 60_000;
    const res = await this.call('POST', path, signal, v >= 6 ? undefined : JSON.stringify({ start: null }), `job "${job.name}"`);
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    onStatus?.(`Job "${job.name}" started.`);
    if (res.status === 200 && res.text.trim()) {
      const b = parseJson<Obj>(res, path);
      if (typeof b.id === 'string' && b.id) { return N.jobSession(b, Date.now(), { jobId: job.id, jobName: job.name }); }
    }
    // v4–v7 answer without the session: the newest session of the job is the one just started.
    const first = await this.jobSessions(v, job, undefined, signal);
    const s = first.items.find((e) => e.status === 'running') ??
      first.items.find((e) => Date.parse(e.startedAt ?? '') >= startedAfter);
    if (!s) { throw new VeeamError('malformed', `Job "${job.name}" was started but its session was not found yet.`); }
    return s;
  }

  /**
   * Stop a running job, or the job of a running session: one POST. The answer names no session (204, or 200
   * without a body before v6); a session given is returned to be followed to its end, a job gives undefined.
   */
  async stopJob(target: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity | undefined> {
    const v = await this.version(signal);
    const jobId = target.type === 'job' ? idOf(target, 'it cannot be stopped')
      : target.type === 'jobSession' && target.id && target.ref.jobId ? target.ref.jobId : undefined;
    if (!jobId) { throw new VeeamError('config', `"${target.name}" cannot be stopped: its job is not known.`); }
    const id = encodeURIComponent(jobId);
    const name = target.type === 'job' ? target.name : target.jobName ?? target.name;
    if (v >= 6) { await this.post(`/v${v}/Jobs/${id}/stop`, undefined, `the stop of job "${name}"`, signal); }
    else { await this.post(`/v${v}/Jobs/${id}/action`, { stop: null }, `the stop of job "${name}"`, signal); }
    onStatus?.(`Stop of "${name}" requested.`);
    return target.type === 'jobSession' ? target : undefined;
  }

  /** Enable or disable a job (its schedule): one POST. The answer is empty; undefined = read the job again. */
  async setJobEnabled(job: Entity, enabled: boolean, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity | undefined> {
    const v = await this.version(signal);
    const verb = enabled ? 'enable' : 'disable';
    const id = encodeURIComponent(idOf(job, `it cannot be ${enabled ? 'enabled' : 'disabled'}`));
    if (v >= 6) { await this.post(`/v${v}/Jobs/${id}/${verb}`, undefined, `the ${verb} of job "${job.name}"`, signal); }
    else { await this.post(`/v${v}/Jobs/${id}/action`, { [verb]: null }, `the ${verb} of job "${job.name}"`, signal); }
    onStatus?.(`Job "${job.name}" ${enabled ? 'enabled' : 'disabled'}.`);
    return undefined;
  }

  /** The log of a job session (every LogItems page, oldest first) or what a sync session says of itself. */
  async sessionLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> {
    const v = await this.version(signal);
    if (session.type === 'syncSession') { return this.syncLog(session, signal); }
    if (session.type !== 'jobSession') { throw new VeeamError('config', `"${session.name}" has no session log.`); }
    const id = encodeURIComponent(idOf(session, 'its log cannot be read'));
    // Read the session first, then its log: a session that ended in between is read once more on the next poll,
    // and never reported ended while its last records are missing. A finished session does not run again.
    let running = session.status === 'running' || session.status === 'queued';
    if (running) {
      const fresh = N.jobSession(await this.json(`/v${v}/JobSessions/${id}`, signal) as Obj);
      running = fresh.status === 'running' || fresh.status === 'queued';
    }
    const items = await this.every(`/v${v}/JobSessions/${id}/LogItems`, MAX_LOG_PAGES, signal);
    return { lines: N.logLines(items, running), running };
  }

  /** VB365 keeps no log for repository synchronization: the session's own state, progress and error as lines. */
  private async syncLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> {
    const s = await this.refresh(session, signal);
    return { ...N.syncLogLines(s), note: 'VB365 keeps no log for repository synchronization; these lines are the sync session\'s own state.' };
  }

  /** Every page of a paged collection with the largest page (setId kept from v7 on), `maxPages` at most. */
  private async every(path: string, maxPages: number, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
    for (let i = 0; cursor && i < maxPages; i++) {
      const p = await this.page(path, cursor.offset, BIG_PAGE, cursor.setId, signal);
      out.push(...p.items);
      cursor = p.next;
    }
    return out;
  }

  /**
   * Job sessions created in [since, until], newest first, at most `limit`. v7+: the server-wide JobSessions with
   * the largest page; v4–v6: each job's JobSessions (their payloads name no job). Paging stops at the first page
   * that reaches back before `since` (sessions come newest first) or once `limit` sessions are in the window.
   */
  async sessionsSince(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> {
    const v = await this.version(signal);
    const since = Date.parse(q.since);
    const until = q.until ? Date.parse(q.until) : Date.now();
    if (!Number.isFinite(since) || !Number.isFinite(until)) { throw new VeeamError('config', `Not a time window: ${q.since} – ${q.until ?? 'now'}.`); }
    const limit = Math.max(0, q.limit ?? DEFAULT_SESSIONS_LIMIT);
    const jobs = (await this.all(`/v${v}/Jobs`, signal)).map((j) => N.job(j));
    const names = new Map(jobs.filter((j) => j.id).map((j) => [j.id!, j.name]));
    const now = Date.now();
    const found: Entity[] = [];
    const read = async (path: string, ctx: N.SessionContext): Promise<void> => {
      const keep = (items: Obj[]): number => {
        let inWindow = 0;
        for (const o of items) {
          const created = Date.parse(String(o.creationTime ?? ''));
          if (!Number.isFinite(created) || created < since || created > until) { continue; }
          const e = N.jobSession(o, now, ctx);
          if (!e.jobName && e.ref.jobId) { e.jobName = names.get(e.ref.jobId); }
          found.push(e);
          inWindow++;
        }
        return inWindow;
      };
      let cursor: { offset: number; setId?: string } | undefined = { offset: 0 };
      let taken = 0;
      for (let i = 0; cursor && i < MAX_PAGES; i++) {
        const p = await this.page(path, cursor.offset, BIG_PAGE, cursor.setId, signal);
        taken += keep(p.items);
        // Newest first: a page whose last (oldest) session is older than `since` is the last one needed.
        const last = Date.parse(String(p.items[p.items.length - 1]?.creationTime ?? ''));
        if ((Number.isFinite(last) && last < since) || taken >= limit) { return; }
        cursor = p.next;
      }
    };
    if (v >= 7) {
      await read(`/v${v}/JobSessions`, {});
    } else {
      for (const j of jobs) {
        if (j.id) { await read(`/v${v}/Jobs/${encodeURIComponent(j.id)}/JobSessions`, { jobId: j.id, jobName: j.name }); }
      }
    }
    const t = (e: Entity) => Date.parse(e.startedAt ?? '');
    return distinct(found.sort((a, b) => t(b) - t(a)).slice(0, limit));
  }

  /** Every repository with its capacity and free space (where the server reports both). */
  async repositories(signal?: AbortSignal): Promise<Entity[]> {
    const v = await this.version(signal);
    return distinct((await this.all(`/v${v}/BackupRepositories`, signal)).map((r) => N.repository(r)));
  }

  protected override close(): Promise<void> { return this.auth.logout(); }
}

/** The entity's id, or a config error saying what cannot be done without one (the server sent none). */
function idOf(e: Entity, what: string): string {
  if (!e.id) { throw new VeeamError('config', `"${e.name}" came from the server without an id; ${what}.`); }
  return e.id;
}

/**
 * Entities without an id have only a key stem: make every key of a page unique (the tree's ids derive from
 * them). The first of a stem keeps it on the first page; later ones get their position.
 */
function distinct(items: Entity[], offset = 0): Entity[] {
  const seen = new Set<string>();
  items.forEach((e, i) => {
    if (!e.id && (offset > 0 || seen.has(e.key))) { e.key = `${e.key}#${offset + i}`; }
    seen.add(e.key);
  });
  return items;
}
