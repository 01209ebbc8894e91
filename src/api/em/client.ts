// Veeam Backup Enterprise Manager client: logon sessions (X-RestSvcSessionId), XML (or JSON)
// reads through the query service, documents as received, and the job-start Task flow.
// Transport, the 401 policy and error bodies come from BaseClient (../http/base).
import { VeeamError } from '../errors';
import { htmlError, parseJson, stripBom } from '../http/body';
import { HttpResponse, Method } from '../http/transport';
import { BaseClient, ServerMessage } from '../http/base';
import { waitFor } from '../http/wait';
import type { ClientDeps, Entity, Page, RawDocument, ServerClient, ServerDefinition, SessionFilter } from '../model';
import { FilterExpr, and, cond, eq, formatFilter, sessionFilterExpr } from './filter';
import { EmType, folder, mapEntity } from './map';
import { Obj, arr, links, obj, parseXml, reindent, text } from './xml';
import { followTask } from './task';
import { sleep } from '../http/sleep';

const LIST_TAG: Record<EmType, string> = {
  BackupServer: 'BackupServers', Job: 'Jobs', Repository: 'Repositories', BackupJobSession: 'BackupJobSessions',
  ReplicaJobSession: 'ReplicaJobSessions', BackupTaskSession: 'BackupTaskSessions', ReplicaTaskSession: 'ReplicaTaskSessions',
};
const DAY = 86_400_000;

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
      return new VeeamError('auth', `${this.host} rejected the logon session; the job was not started. Start it again to use a new session.`,
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
        case 'jobs': return this.pageOf('Job', { page, sortAsc: 'Name', filter: eq('BackupServerUid', r.serverUid) }, signal);
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
    if (!job.id || !job.ref.href) { throw new VeeamError('config', `"${job.name}" came from the server without a UID or link; it cannot be started.`); }
    const jobUid = job.id;
    const sessionType = (job.ref.sessionType as EmType) || 'BackupJobSession';
    const newest = async () => (await this.query(sessionType,
      { page: 1, pageSize: 1, sortDesc: 'CreationTime', filter: eq('JobUid', jobUid) }, signal)).items[0];
    const before = text((await newest())?.UID);
    const u = new URL(job.ref.href, this.definition.url);
    const startPath = `${u.pathname}?action=start`;
    const res = await this.call('POST', startPath, signal, 'application/xml', `job "${job.name}"`);   // never retried
    const task = this.parseXmlBody(res, startPath).value;
    const taskHref = this.local(text(task.Href) ?? `/api/tasks/${encodeURIComponent(text(task.TaskId) ?? '')}`);
    onStatus?.(`Start of "${job.name}" requested; waiting for Enterprise Manager…`);
    const message = await followTask(task, {
      read: async (href) => this.parseXmlBody(await this.call('GET', href, signal), href).value,
      href: taskHref, what: `"${job.name}"`, limitMs: Math.max(60_000, this.deps.http.timeoutMs * 4),
      pollMs: this.options.pollMs ?? 500, signal,
    });
    onStatus?.(message ?? `Job "${job.name}" triggered to start.`);
    let session = await newest();
    for (let i = 0; i < 20 && (!session || text(session.UID) === before); i++) {
      await sleep(this.options.pollMs ?? 500, signal);
      session = await newest();
    }
    if (!session || text(session.UID) === before) {
      throw new VeeamError('malformed', `"${job.name}" was started, but its new session did not appear.`);
    }
    const entity = mapEntity(sessionType, session);
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
