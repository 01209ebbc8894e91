// Veeam Backup Enterprise Manager client: logon sessions (X-RestSvcSessionId), XML (or JSON)
// reads through the query service, documents as received, and the job actions as Tasks.
// Transport, the 401 policy and error bodies come from BaseClient (../http/base).
//
// Requests (every list is a GET /api/query?type=…&format=Entities):
//   children(jobs folder)   the page of Jobs, then per session type on it one query of the server's sessions
//                           of the last 2 days (BackupServerUid==…;CreationTime>=…, sortDesc, pageSize 1000) for
//                           each job's last state, result and FailureMessage, and only for jobs not found there
//                           one query per 25 of them over 31 days ((JobUid==…,…);CreationTime>=…): 2–3 requests
//                           a page usually, never one per job
//   refresh(job)            GET the job ?format=Entity and, at the same time, its newest session (pageSize 1)
//   startJob, retryJob      the job's newest session (pageSize 1), POST /api/jobs/{id}?action=start|retry,
//                           GET /api/tasks/{id} until Finished, then the newest session until a new one appears
//   stopJob                 POST ?action=stop, the Task, then the stopped session (GET it, or the job's newest)
//   setJobEnabled           GET the job (ScheduleEnabled); only if it differs POST ?action=toggleScheduleEnabled,
//                           the Task, GET the job again
//   sessionLog              EM has no log records: GET the session (still running?) and its task sessions,
//                           all pages of 1000 (JobSessionUid==…, sortAsc CreationTime); a task session: GET it
//   sessionsSince           BackupJobSession and ReplicaJobSession with CreationTime>=since(;<=until),
//                           sortDesc, pageSize 1000, page after page up to `limit`: ceil(n/1000) per type
//   repositories            Repository, pageSize 1000 (one request up to 1000 repositories)
// Every POST is sent once (BaseClient never re-sends one after a 401; the transport never retries one).
import { VeeamError } from '../errors';
import { htmlError, parseJson, stripBom } from '../http/body';
import { HttpResponse, Method } from '../http/transport';
import { BaseClient, ServerMessage } from '../http/base';
import { waitFor } from '../http/wait';
import type {
  ClientDeps, Entity, LogLine, Page, RawDocument, ServerClient, ServerDefinition, SessionFilter, SessionLog, SessionQuery,
} from '../model';
import { bytes, duration } from '../format';
import { FilterExpr, and, cond, eq, formatFilter, or, sessionFilterExpr } from './filter';
import { EmType, LastRun, folder, lastRunOf, lastRunOfJob, mapEntity } from './map';
import { Obj, arr, links, obj, parseXml, reindent, text } from './xml';
import { followTask } from './task';
import { sleep } from '../http/sleep';

const LIST_TAG: Record<EmType, string> = {
  BackupServer: 'BackupServers', Job: 'Jobs', Repository: 'Repositories', BackupJobSession: 'BackupJobSessions',
  ReplicaJobSession: 'ReplicaJobSessions', BackupTaskSession: 'BackupTaskSessions', ReplicaTaskSession: 'ReplicaTaskSessions',
};
const DAY = 86_400_000;
/** The largest page EM is asked for (fewest requests for bulk reads). */
const BULK = 1000;
/** How far back the sessions of a server are read for the last results of its jobs (then of the jobs not found). */
const RECENT_DAYS = 2;
const LAST_RUN_DAYS = 31;
const UIDS_PER_QUERY = 25;
const RUNNING = new Set(['starting', 'working', 'resuming', 'pausing', 'stopping', 'inprogress']);
const LOG_NOTE = "Enterprise Manager's REST API has no session log records; these are the session's task sessions (one per VM) with their results and reasons.";
const TASK_LOG_NOTE = "Enterprise Manager's REST API has no session log records; this is the task session's own start, result and reason.";

/** A job an action is sent to: its path (/api/jobs/{id}), name for messages, UID and session type. */
interface JobTarget { path: string; name: string; uid: string; sessionType: EmType }

type JobAction = 'start' | 'stop' | 'retry' | 'toggleScheduleEnabled';
const ACTION_WORDS: Record<JobAction, { noun: string; verb: string; undone: string }> = {
  start: { noun: 'start', verb: 'start', undone: 'the job was not started. Start it again' },
  stop: { noun: 'stop', verb: 'stop', undone: 'the job was not stopped. Stop it again' },
  retry: { noun: 'retry', verb: 'retry', undone: 'the job was not retried. Retry it again' },
  toggleScheduleEnabled: { noun: 'schedule change', verb: 'change the schedule of', undone: "the job's schedule was not changed. Try again" },
};

export interface EmClientOptions {
  /** Representation used for reads: 'xml' (default, EM's native one) or 'json'. */
  wire?: 'xml' | 'json';
  /** Task polling interval in ms. Default 500. */
  pollMs?: number;
}

interface QueryArgs { filter?: FilterExpr; sortAsc?: string; sortDesc?: string; page: number; pageSize?: number }

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

  /** EM links are absolute; requests and messages use path and query (another host is refused by the transport). */
  private local(href: string): string {
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
      const doc = this.parseXmlBody(res, path);
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
      const serverMessage = this.serverMessage(res);
      throw new VeeamError('auth', `${this.host} rejected the logon of ${user}${serverMessage ? `: ${serverMessage}` : '.'}`,
        { status: res.status, serverMessage, path: '/api/sessionMngr/' });
    }
    if (res.status < 200 || res.status >= 300) { throw this.error(res, '/api/sessionMngr/'); }
    const token = res.headers['x-restsvcsessionid'] ?? /X-RestSvcSessionId=([^;,\s]+)/i.exec(res.headers['set-cookie'] ?? '')?.[1];
    if (!token) { throw new VeeamError('malformed', `${this.host} accepted the logon but sent no X-RestSvcSessionId.`, { path: '/api/sessionMngr/' }); }
    let sessionId: string | undefined;
    try { sessionId = text(this.parseXmlBody(res, '/api/sessionMngr/').value.SessionId); } catch { /* logoff is best effort */ }
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
      const action = /[?&]action=(\w+)/.exec(path)?.[1] as JobAction | undefined;
      const undone = (action && ACTION_WORDS[action]?.undone) ?? 'nothing was sent twice. Try again';
      return new VeeamError('auth', `${this.host} rejected the logon session; ${undone} to use a new session.`,
        { status: res.status, method, path: path.split('?')[0] });
    }
    const e = this.error(res, path);
    return new VeeamError('auth', `${this.host} rejected the new logon session of ${this.definition.username}: ${e.message}`, { ...e.extra });
  }

  // ---- requests -------------------------------------------------------------------------

  private async call(method: Method, path: string, signal?: AbortSignal, accept = 'application/xml', action?: string): Promise<HttpResponse> {
    const res = await this.send(method, path, { signal, action, headers: { Accept: accept } });
    if (res.status < 200 || res.status >= 300) { throw this.error(res, path); }
    return res;
  }

  /** An error answer (<Error Message="…"/> or {"Message": …}) as a VeeamError. */
  private error(res: HttpResponse, path: string): VeeamError {
    return this.httpError(res, path, (r): ServerMessage => ({ message: this.serverMessage(r) }));
  }

  /** The <Error Message> (XML) or "Message" (JSON) of an error body. */
  private serverMessage(res: HttpResponse): string | undefined {
    const t = stripBom(res.text).trim();
    try {
      if (t.startsWith('{')) { return text((JSON.parse(t) as Obj).Message); }
      if (t.startsWith('<') && !/^<(!doctype html|html)/i.test(t)) {
        const doc = parseXml(t);
        return doc.root === 'Error' ? text(doc.value.Message) : undefined;
      }
    } catch { /* not an error body */ }
    return undefined;
  }

  private parseXmlBody(res: HttpResponse, path: string): { root: string; value: Obj } {
    const t = stripBom(res.text);
    if (!t.trim()) { throw new VeeamError('malformed', `The server returned an empty body for ${path} (HTTP ${res.status}).`, { path }); }
    try {
      if (!t.trimStart().startsWith('<')) { throw new Error('not XML'); }
      return parseXml(t);
    } catch (e) {
      throw htmlError(res, path) ?? new VeeamError('malformed',
        `The server returned a body that is not valid XML for ${path} (HTTP ${res.status}, ${t.length} bytes): ${(e as Error).message}`, { path });
    }
  }

  /** GET and parse in the configured representation. JSON comes back as the root object. */
  private async read(path: string, signal?: AbortSignal): Promise<Obj> {
    if (this.wire === 'json') {
      const res = await this.call('GET', path, signal, 'application/json');
      const v = parseJson<unknown>(res, path);
      if (!v || typeof v !== 'object' || Array.isArray(v)) { throw new VeeamError('malformed', `Unexpected JSON from ${path}: expected an object.`, { path }); }
      return v as Obj;
    }
    return this.parseXmlBody(await this.call('GET', path, signal), path).value;
  }

  private async query(type: EmType, a: QueryArgs, signal?: AbortSignal): Promise<{ items: Obj[]; more: boolean }> {
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
    const pageNum = Number(text(paging.PageNum) ?? a.page), count = Number(text(paging.PagesCount) ?? 1);
    const next = links(paging).some((l) => l.Rel === 'Next');
    return { items, more: next || pageNum < count };
  }

  private async pageOf(type: EmType, a: QueryArgs, signal?: AbortSignal): Promise<Page> {
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

  // ---- ServerClient ---------------------------------------------------------------------

  async children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal, filter?: SessionFilter): Promise<Page> {
    const page = cursor ? Number(cursor) : 1;
    if (!Number.isInteger(page) || page < 1) { throw new VeeamError('config', `Invalid page cursor "${cursor}".`); }
    if (!parent) {
      return { items: [folder('backupServers', 'Backup Servers'), folder('replicaSessions', 'Replica Sessions (last 30 days)', {}, true),
        folder('backupSessions', 'Backup Sessions', {}, true)] };
    }
    const r = parent.ref;
    if (parent.type === 'folder') {
      if ((r.folder === 'jobs' || r.folder === 'repositories') && !r.serverUid) { return { items: [] }; }
      switch (r.folder) {
        case 'backupServers': return this.pageOf('BackupServer', { page, sortAsc: 'Name' }, signal);
        case 'jobs': return this.jobsPage(r.serverUid, page, signal);
        case 'repositories': return this.pageOf('Repository', { page, sortAsc: 'Name', filter: eq('BackupServerUid', r.serverUid) }, signal);
        case 'backupSessions':
          return this.pageOf('BackupJobSession', { page, sortDesc: 'CreationTime', filter: sessionFilterExpr(filter, 'JobName') }, signal);
        case 'replicaSessions':
          return this.pageOf('ReplicaJobSession', { page, sortDesc: 'CreationTime',
            filter: and(sessionFilterExpr(filter, 'JobName'), filter?.since ? undefined : cond('CreationTime', '>=', new Date(Date.now() - 30 * DAY))) }, signal);
        default: return { items: [] };
      }
    }
    // Nothing is listed under an entity the server sent without a UID (its filter would carry none).
    if (!parent.id) { return { items: [] }; }
    switch (parent.type) {
      case 'backupServer': {
        const extra = { serverUid: parent.id };
        return { items: [folder('jobs', 'Jobs', extra), folder('repositories', 'Repositories', extra)] };
      }
      case 'job':
        return this.pageOf((r.sessionType as EmType) || 'BackupJobSession',
          { page, sortDesc: 'CreationTime', filter: and(eq('JobUid', parent.id), sessionFilterExpr(filter, 'JobName')) }, signal);
      case 'backupSession': case 'replicaSession':
        return this.pageOf((r.taskType as EmType) || 'BackupTaskSession',
          { page, sortAsc: 'Name', filter: and(eq('JobSessionUid', parent.id), sessionFilterExpr(filter, 'VmDisplayName')) }, signal);
      default: return { items: [] };
    }
  }

  async refresh(e: Entity, signal?: AbortSignal): Promise<Entity> {
    if (e.type === 'folder' || !e.ref.href) { return e; }
    if (e.type === 'job' && e.id) {
      // The job and its newest session at once: EM's Job has no last result.
      const [v, last] = await Promise.all([this.read(this.local(e.ref.href), signal),
        this.newestSession((e.ref.sessionType as EmType) || 'BackupJobSession', e.id, signal)]);
      return mapEntity('Job', v, Date.now(), last ? lastRunOf(last) : null);
    }
    const v = await this.read(this.local(e.ref.href), signal);
    return mapEntity(e.ref.type as EmType, v);
  }

  async document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
    if (e.type === 'folder') { throw new VeeamError('config', `"${e.name}" is a folder and has no document of its own.`); }
    if (!e.ref.href) {
      // No UID or Href to read it by: the payload as it came in the list (JSON only).
      if (format === 'json' && e.ref.raw !== undefined) { return { contentType: 'json', text: e.ref.raw }; }
      throw new VeeamError('config', `"${e.name}" came from the server without a UID or link; it has no ${format.toUpperCase()} document to open.`);
    }
    const path = this.local(e.ref.href);
    if (format === 'json') {
      const res = await this.call('GET', path, signal, 'application/json');
      parseJson(res, path);                             // fail early on a body that is not JSON
      return { contentType: 'json', text: stripBom(res.text) };
    }
    const res = await this.call('GET', path, signal, 'application/xml');
    this.parseXmlBody(res, path);
    return { contentType: 'xml', text: reindent(res.text) };
  }

  async startJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    if (job.type !== 'job') { throw new VeeamError('config', `"${job.name}" is not a job.`); }
    return this.runAndFindSession(this.jobTarget(job, 'started'), 'start', signal, onStatus);
  }

  /** Retry a job whose last session failed or warned: POST ?action=retry, the Task, then the new (IsRetry) session. */
  async retryJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return this.runAndFindSession(this.jobTarget(job, 'retried'), 'retry', signal, onStatus);
  }

  /**
   * Stop a running job, or the job of a running session: POST /api/jobs/{id}?action=stop and its Task.
   * Returns the session to follow to its end (re-read; it may still be "Stopping"), if it can be read.
   */
  async stopJob(target: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity | undefined> {
    const t = this.jobTarget(target, 'stopped');
    const message = await this.jobTask(t, 'stop', signal, onStatus);
    onStatus?.(message ?? `Job "${t.name}" stopped.`);
    try {
      if (target.type === 'backupSession' || target.type === 'replicaSession') { return await this.refresh(target, signal); }
      const newest = await this.newestSession(t.sessionType, t.uid, signal);
      return newest ? mapEntity(t.sessionType, newest) : undefined;
    } catch (e) {
      if (e instanceof VeeamError && e.kind === 'cancelled') { throw e; }
      return undefined;   // stopped; the session could not be read now (the tree reads it again)
    }
  }

  /**
   * Enable or disable a job's schedule. EM only toggles (?action=toggleScheduleEnabled), so the job is read
   * first (one GET) and the toggle is sent only when its state differs from the one asked for; otherwise
   * nothing is sent and onStatus says so. Returns the job as it is afterwards.
   */
  async setJobEnabled(job: Entity, enabled: boolean, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    const verb = enabled ? 'enabled' : 'disabled';
    if (job.type !== 'job') { throw new VeeamError('config', `"${job.name}" is not a job.`); }
    const t = this.jobTarget(job, verb);
    const path = this.local(job.ref.href);
    const last = lastRunOfJob(job) ?? null;
    const before = await this.read(path, signal);
    const state = text(before.ScheduleEnabled);
    if (text(before.ScheduleConfigured) === 'false' || (state !== 'true' && state !== 'false')) {
      throw new VeeamError('config', `"${t.name}" has no schedule on the backup server; there is nothing to ${enabled ? 'enable' : 'disable'}.`);
    }
    if ((state === 'true') === enabled) {
      onStatus?.(`The schedule of "${t.name}" is already ${verb}; nothing was changed.`);
      return mapEntity('Job', before, Date.now(), last);
    }
    const message = await this.jobTask(t, 'toggleScheduleEnabled', signal, onStatus);
    const after = await this.read(path, signal);
    const now = text(after.ScheduleEnabled);
    onStatus?.(now === String(enabled) ? message ?? `The schedule of "${t.name}" is now ${verb}.`
      : `Enterprise Manager reports the schedule of "${t.name}" as ${now === 'true' ? 'enabled' : now === 'false' ? 'disabled' : 'unknown'} after the change.`);
    return mapEntity('Job', after, Date.now(), last);
  }

  /**
   * EM's REST API has no session log records. A job session's "log" is its task sessions (one per VM,
   * every page) with their results and reasons; a task session's is its own start and result.
   */
  async sessionLog(session: Entity, signal?: AbortSignal): Promise<SessionLog> {
    if (!session.ref.href || !session.id) {
      throw new VeeamError('config', `"${session.name}" came from the server without a UID or link; its task sessions cannot be read.`);
    }
    const path = this.local(session.ref.href);
    if (session.type === 'taskSession') {
      const o = await this.read(path, signal);
      return { lines: ownTaskLines(o), note: TASK_LOG_NOTE, running: isRunning(text(o.State)) || text(o.State)?.toLowerCase() === 'pending' };
    }
    if (session.type !== 'backupSession' && session.type !== 'replicaSession') {
      throw new VeeamError('config', `"${session.name}" is not a session; it has no log.`);
    }
    const taskType = (session.ref.taskType as EmType) || 'BackupTaskSession';
    const [s, tasks] = await Promise.all([
      this.read(path, signal),
      this.queryAll(taskType, { sortAsc: 'CreationTime', filter: eq('JobSessionUid', session.id) }, Infinity, signal),
    ]);
    return { lines: tasks.map(taskLine), note: LOG_NOTE, running: isRunning(text(s.State)) };
  }

  /** Backup and replica job sessions created in the window, newest first, at most `limit`. */
  async sessionsSince(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> {
    const since = new Date(q.since), until = q.until ? new Date(q.until) : undefined;
    if (Number.isNaN(since.getTime()) || (until && Number.isNaN(until.getTime()))) {
      throw new VeeamError('config', `Invalid time window ${q.since} – ${q.until ?? 'now'}.`);
    }
    const limit = q.limit ?? 10_000;
    if (limit <= 0) { return []; }
    const filter = and(cond('CreationTime', '>=', since), until ? cond('CreationTime', '<=', until) : undefined);
    const types: EmType[] = ['BackupJobSession', 'ReplicaJobSession'];
    const now = Date.now();
    const lists = await Promise.all(types.map(async (type) =>
      (await this.queryAll(type, { sortDesc: 'CreationTime', filter }, limit, signal)).map((o, i) => this.keyed(mapEntity(type, o, now), i))));
    const time = (e: Entity) => (e.startedAt ? Date.parse(e.startedAt) : NaN);
    return lists.flat()
      .sort((a, b) => (Number.isFinite(time(b)) ? time(b) : -Infinity) - (Number.isFinite(time(a)) ? time(a) : -Infinity))
      .slice(0, limit);
  }

  /** Every repository of every backup server, with capacity and free space. */
  async repositories(signal?: AbortSignal): Promise<Entity[]> {
    const now = Date.now();
    return (await this.queryAll('Repository', { sortAsc: 'Name' }, Infinity, signal)).map((o, i) => this.keyed(mapEntity('Repository', o, now), i));
  }

  // ---- jobs and their last runs ---------------------------------------------------------

  /** An entity without a UID gets its position in the key (the tree's ids derive from keys). */
  private keyed(e: Entity, i: number): Entity {
    if (!e.id) { e.key = `${e.key}#${i}`; }
    return e;
  }

  /** A page of a server's jobs, each with its newest session (one query per session type on the page, not one per job). */
  private async jobsPage(serverUid: string, page: number, signal?: AbortSignal): Promise<Page> {
    const size = this.deps.http.pageSize;
    const r = await this.query('Job', { page, sortAsc: 'Name', filter: eq('BackupServerUid', serverUid) }, signal);
    const wanted = r.items.filter((o) => text(o.UID)).map((o) => ({ uid: text(o.UID)!, type: sessionTypeOf(o) }));
    const last = wanted.length ? await this.lastRuns(serverUid, wanted, signal) : new Map<string, LastRun>();
    const now = Date.now();
    const items = r.items.map((o, i) => {
      const uid = text(o.UID);
      return this.keyed(mapEntity('Job', o, now, uid ? last.get(uid) ?? null : undefined), (page - 1) * size + i);
    });
    return { items, next: r.more ? String(page + 1) : undefined };
  }

  /**
   * The newest session of each job, by JobUid, without a request per job. Per session type: one query of
   * the server's sessions of the last RECENT_DAYS days (newest first, up to BULK), which finds every job that
   * ran lately; then, only for the jobs it did not find (they run rarely, so they have few sessions), one
   * query per UIDS_PER_QUERY of them over LAST_RUN_DAYS days. A job without a session in that time shows no
   * last result. When a lookup fails the jobs are still listed, without it (the failed request is in the
   * request log).
   */
  private async lastRuns(serverUid: string, jobs: { uid: string; type: EmType }[], signal?: AbortSignal): Promise<Map<string, LastRun>> {
    const out = new Map<string, LastRun>();
    const now = Date.now();
    const take = async (type: EmType, filter: FilterExpr | undefined): Promise<void> => {
      let items: Obj[];
      try {
        items = (await this.query(type, { page: 1, pageSize: BULK, sortDesc: 'CreationTime', filter }, signal)).items;
      } catch (e) {
        if (e instanceof VeeamError && e.kind === 'cancelled') { throw e; }
        return;
      }
      for (const s of items) {
        const job = text(s.JobUid);
        if (job && !out.has(job)) { out.set(job, lastRunOf(s)); }
      }
    };
    const types = [...new Set(jobs.map((j) => j.type))];
    await Promise.all(types.map(async (type) => {
      await take(type, and(eq('BackupServerUid', serverUid), cond('CreationTime', '>=', new Date(now - RECENT_DAYS * DAY))));
      const missing = jobs.filter((j) => j.type === type && !out.has(j.uid)).map((j) => j.uid);
      const chunks: string[][] = [];
      for (let i = 0; i < missing.length; i += UIDS_PER_QUERY) { chunks.push(missing.slice(i, i + UIDS_PER_QUERY)); }
      await Promise.all(chunks.map((uids) =>
        take(type, and(or(...uids.map((u) => eq('JobUid', u))), cond('CreationTime', '>=', new Date(now - LAST_RUN_DAYS * DAY))))));
    }));
    return out;
  }

  /** The job's newest session (sortDesc CreationTime, pageSize 1). */
  private async newestSession(type: EmType, jobUid: string, signal?: AbortSignal): Promise<Obj | undefined> {
    return (await this.query(type, { page: 1, pageSize: 1, sortDesc: 'CreationTime', filter: eq('JobUid', jobUid) }, signal)).items[0];
  }

  /** Every page of a query, BULK at a time, until `limit` items. */
  private async queryAll(type: EmType, a: Omit<QueryArgs, 'page' | 'pageSize'>, limit: number, signal?: AbortSignal): Promise<Obj[]> {
    const pageSize = Math.max(1, Math.min(BULK, limit));
    const out: Obj[] = [];
    for (let page = 1; ; page++) {
      const r = await this.query(type, { ...a, page, pageSize }, signal);
      out.push(...r.items);
      if (!r.more || !r.items.length || out.length >= limit) { return out.slice(0, limit); }
    }
  }

  /** The job a job action goes to: the job itself, or the job of a session. */
  private jobTarget(e: Entity, done: string): JobTarget {
    if (e.type === 'job') {
      if (!e.id || !e.ref.href) { throw new VeeamError('config', `"${e.name}" came from the server without a UID or link; it cannot be ${done}.`); }
      return { path: new URL(e.ref.href, this.definition.url).pathname, name: e.name, uid: e.id,
        sessionType: (e.ref.sessionType as EmType) || 'BackupJobSession' };
    }
    if (e.type === 'backupSession' || e.type === 'replicaSession') {
      const uid = e.ref.jobUid;
      const guid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(uid ?? '')?.[1];
      const path = e.ref.jobHref ? new URL(e.ref.jobHref, this.definition.url).pathname : guid ? `/api/jobs/${guid}` : undefined;
      if (!uid || !path) { throw new VeeamError('config', `"${e.name}" names no job (no JobUid); its job cannot be ${done}.`); }
      return { path: path.replace(/\/+$/, ''), name: e.jobName ?? e.name, uid, sessionType: e.ref.type as EmType };
    }
    throw new VeeamError('config', `"${e.name}" is not a job.`);
  }

  /** One POST /api/jobs/{id}?action=…, never retried, and its Task followed to Finished; returns the Task's message. */
  private async jobTask(t: JobTarget, action: JobAction, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<string | undefined> {
    const w = ACTION_WORDS[action];
    const path = `${t.path}?action=${action}`;
    const res = await this.call('POST', path, signal, 'application/xml', action === 'start' ? `job "${t.name}"` : `the ${w.noun} of job "${t.name}"`);
    const task = this.parseXmlBody(res, path).value;
    const taskHref = this.local(text(task.Href) ?? `/api/tasks/${encodeURIComponent(text(task.TaskId) ?? '')}`);
    onStatus?.(`${w.noun[0].toUpperCase()}${w.noun.slice(1)} of "${t.name}" requested; waiting for Enterprise Manager…`);
    return followTask(task, {
      read: async (href) => this.parseXmlBody(await this.call('GET', href, signal), href).value,
      href: taskHref, what: `"${t.name}"`, noun: w.noun, verb: w.verb, limitMs: Math.max(60_000, this.deps.http.timeoutMs * 4),
      pollMs: this.options.pollMs ?? 500, signal,
    });
  }

  /** Start or retry: the newest session before, the action, then the new session (running) once EM lists it. */
  private async runAndFindSession(t: JobTarget, action: 'start' | 'retry', signal?: AbortSignal,
    onStatus?: (message: string) => void): Promise<Entity> {
    const before = text((await this.newestSession(t.sessionType, t.uid, signal))?.UID);
    const message = await this.jobTask(t, action, signal, onStatus);
    onStatus?.(message ?? `Job "${t.name}" triggered to ${action}.`);
    let session = await this.newestSession(t.sessionType, t.uid, signal);
    for (let i = 0; i < 20 && (!session || text(session.UID) === before); i++) {
      await sleep(this.options.pollMs ?? 500, signal);
      session = await this.newestSession(t.sessionType, t.uid, signal);
    }
    if (!session || text(session.UID) === before) {
      throw new VeeamError('malformed', `"${t.name}" was ${action === 'start' ? 'started' : 'retried'}, but its new session did not appear.`);
    }
    const entity = mapEntity(t.sessionType, session);
    if (!entity.endedAt) { entity.status = 'running'; }
    return entity;
  }

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

function isRunning(state: string | undefined): boolean { return RUNNING.has((state ?? '').toLowerCase()); }

/** A job's session type: replica jobs have ReplicaJobSessions, every other type BackupJobSessions. */
function sessionTypeOf(job: Obj): EmType { return text(job.JobType) === 'Replica' ? 'ReplicaJobSession' : 'BackupJobSession'; }

/** The status, the word and the reason of a task session. */
function taskResult(o: Obj): { status: LogLine['status']; word: string; reason?: string; ended: boolean } {
  const state = text(o.State), result = text(o.Result);
  const st = (state ?? '').toLowerCase();
  if (st === 'pending') { return { status: 'info', word: 'Pending', ended: false }; }
  if (isRunning(state)) { return { status: 'running', word: 'Running', ended: false }; }
  const r = (result ?? '').toLowerCase();
  const status: LogLine['status'] = r === 'success' ? 'success' : r === 'warning' ? 'warning' : r === 'failed' ? 'failed' : 'info';
  return { status, word: result && result !== 'None' ? result : state ?? 'Unknown', reason: text(o.Reason)?.trim() || undefined, ended: true };
}

/** One task session as a line of its job session's log: time = start, title = VM + result, detail = reason. */
function taskLine(o: Obj, i: number): LogLine {
  const r = taskResult(o);
  const vm = text(o.VmDisplayName) ?? text(o.Name) ?? `task session ${i + 1}`;
  return { id: text(o.UID) ?? `task#${i}`, time: text(o.CreationTimeUTC), status: r.status, title: `${vm}: ${r.word}`, detail: r.reason };
}

/** A task session's own log: its start, then its state or result (with duration, size and reason). */
function ownTaskLines(o: Obj): LogLine[] {
  const r = taskResult(o);
  const vm = text(o.VmDisplayName) ?? text(o.Name) ?? 'task session';
  const start = text(o.CreationTimeUTC), end = text(o.EndTimeUTC);
  const size = Number(text(o.TotalSize));
  const lines: LogLine[] = [];
  if (r.word !== 'Pending') { lines.push({ id: 'start', time: start, status: 'info', title: `${vm}: started` }); }
  const facts = r.ended ? [start && end ? duration(start, end) : undefined, Number.isFinite(size) && size > 0 ? bytes(size) : undefined].filter(Boolean) : [];
  lines.push({ id: 'result', time: r.ended ? end ?? start : start, status: r.status,
    title: `${vm}: ${r.word}${facts.length ? ` (${facts.join(', ')})` : ''}`, detail: r.reason });
  return lines;
}
