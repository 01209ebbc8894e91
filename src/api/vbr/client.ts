// The Veeam Backup & Replication REST client (port 9419): revision detection, bearer tokens,
// `x-api-version` on every request, paged collections, the tree, documents and the job actions.
import type { ClientDeps, Entity, Page, RawDocument, ServerClient, ServerDefinition } from '../model';
import { VeeamError } from '../errors';
import { HttpResponse, Method, Transport } from '../http/transport';
import { parseJson } from '../http/body';
import { VbrAuth } from './auth';
import { Revision, atLeast, detectRevision, waitFor } from './revision';
import { httpError } from './errors';
import { NormCtx, Obj, idOf, job, obj, session, taskSession } from './normalize';
import { bestPractice, bestPracticeRank, folder, license, malwareEvent, managedServer, proxy, repository } from './infra';
import { toXml } from './xml';
import * as actions from './actions';

/** Rows asked for per request when a list is read in full, and the most pages read. */
const FULL_PAGE = 200;
const MAX_PAGES = 50;
/** Sessions read at once on 1.2 for the progress of running jobs. */
const PARALLEL = 4;

const V1 = '/api/v1';
const P = {
  jobStates: `${V1}/jobs/states`, sessions: `${V1}/sessions`, repoStates: `${V1}/backupInfrastructure/repositories/states`,
  managedServers: `${V1}/backupInfrastructure/managedServers`, proxies: `${V1}/backupInfrastructure/proxies`,
  proxyStates: `${V1}/backupInfrastructure/proxies/states`, malware: `${V1}/malwareDetection/events`,
  practices: `${V1}/securityAnalyzer/bestPractices`, license: `${V1}/license`,
};

const enc = encodeURIComponent;

interface Cursor { skip: number }

export class VbrClient implements ServerClient {
  private readonly transport: Transport;
  private readonly auth: VbrAuth;
  /** The client's own lifetime: shared work (detection, token renewal) runs on it; dispose aborts it. */
  private readonly life = new AbortController();
  private revisionP?: Promise<Revision>;
  /** The detected revision, once known (logout needs it without waiting). */
  private known?: Revision;
  private disposed = false;

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
    const renewed = await this.auth.renew(token, signal);
    if (method !== 'GET') {
      throw new VeeamError('auth', `${this.host} rejected the session of ${this.definition.username} (HTTP 401); nothing was started/stopped; try again (a new session is ready).`,
        { status: 401, method, path: path.split('?')[0] });
    }
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
  private async page(path: string, skip: number, limit: number, signal?: AbortSignal): Promise<{ data: Obj[]; next?: number }> {
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
  private async all(path: string, signal?: AbortSignal): Promise<Obj[]> {
    const out: Obj[] = [];
    let skip: number | undefined = 0;
    for (let i = 0; skip !== undefined && i < MAX_PAGES; i++) {
      const p = await this.page(path, skip, FULL_PAGE, signal);
      out.push(...p.data);
      skip = p.next;
    }
    return out;
  }

  private async paged(path: string, cursor: string | undefined, map: (o: Obj) => Entity, signal?: AbortSignal): Promise<Page> {
    const skip = cursor ? parseCursor(cursor).skip : 0;
    const p = await this.page(path, skip, this.deps.http.pageSize, signal);
    return { items: p.data.map(map), next: p.next !== undefined ? JSON.stringify({ skip: p.next } satisfies Cursor) : undefined };
  }

  async norm(signal?: AbortSignal): Promise<NormCtx> {
    const rev = await this.revision(signal);
    return { canRetry: atLeast(rev, '1.3-rev0'), zone: rev, now: Date.now() };
  }

  // ---- the tree -------------------------------------------------------------------------------

  async children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    const rev = await this.revision(signal);
    const v13 = atLeast(rev, '1.3-rev0');
    const c = await this.norm(signal);
    if (!parent) {
      await this.auth.bearer(signal); // authentication problems show on the server node
      return { items: [folder('jobs', 'Jobs'), folder('repos', 'Repositories'), folder('infra', 'Infrastructure'),
        ...(v13 ? [folder('security', 'Security')] : []), folder('license', 'License')] };
    }
    if (parent.type === 'folder') {
      switch (parent.ref.folder) {
        case 'jobs': return { items: await this.jobs(`${P.jobStates}?orderColumn=Name&orderAsc=true`, v13, c, signal) };
        case 'repos': return { items: (await this.all(`${P.repoStates}?orderColumn=Name&orderAsc=true`, signal)).map(repository) };
        case 'infra': return { items: [folder('managedServers', 'Managed Servers'), folder('proxies', 'Backup Proxies')] };
        case 'managedServers': return { items: (await this.all(`${P.managedServers}?orderColumn=Name&orderAsc=true`, signal)).map(managedServer) };
        case 'proxies': return { items: (await this.all(`${v13 ? P.proxyStates : P.proxies}?orderColumn=Name&orderAsc=true`, signal)).map(proxy) };
        case 'security': return { items: [folder('malwareEvents', 'Malware Events'), folder('bestPractices', 'Best Practices')] };
        case 'malwareEvents':
          return this.paged(`${P.malware}?orderColumn=DetectionTimeUtc&orderAsc=false`, cursor, (o) => malwareEvent(o, c), signal);
        case 'bestPractices': return { items: (await this.practices(signal)).map(bestPractice) };
        case 'license': return { items: [license(await this.json(P.license, signal), c)] };
        default: return { items: [] };
      }
    }
    if (!parent.id) { return { items: [] }; }
    switch (parent.type) {
      case 'job':
        return this.paged(`${P.sessions}?jobIdFilter=${enc(parent.id)}&orderColumn=CreationTime&orderAsc=false`, cursor, (o) => session(o, c), signal);
      case 'jobSession': {
        const path = `${P.sessions}/${enc(parent.id)}/taskSessions`;
        if (v13) { return this.paged(`${path}?orderColumn=Name&orderAsc=true`, cursor, (o) => taskSession(o, c), signal); }
        // 1.2 takes no paging parameters: one answer holds them all.
        const b = await this.json(path, signal);
        return { items: (Array.isArray(b.data) ? b.data as unknown[] : []).map((o) => taskSession(obj(o), c)) };
      }
      default: return { items: [] };
    }
  }

  /** Job states; on 1.2 a running job's progress is its last session's progressPercent. */
  private async jobs(path: string, v13: boolean, c: NormCtx, signal?: AbortSignal): Promise<Entity[]> {
    const states = await this.all(path, signal);
    const last = new Map<string, Obj>();
    if (!v13) {
      const wanted = states.filter((j) => job(j, c).status === 'running' && idOf(j.sessionId)).map((j) => idOf(j.sessionId)!);
      for (let i = 0; i < wanted.length; i += PARALLEL) {
        await Promise.all(wanted.slice(i, i + PARALLEL).map(async (id) => {
          try { last.set(id, await this.json(`${P.sessions}/${enc(id)}`, signal)); } catch (e) {
            if ((e as VeeamError).kind === 'cancelled') { throw e; }   // progress is optional; the job row is not
          }
        }));
      }
    }
    return states.map((j) => job(j, c, last.get(idOf(j.sessionId) ?? '')));
  }

  private async practices(signal?: AbortSignal): Promise<Obj[]> {
    const b = await this.json(P.practices, signal);
    const items = (Array.isArray(b.items) ? b.items as unknown[] : []).map(obj);
    return items.map((o, i) => ({ o, i })).sort((a, b2) => bestPracticeRank(a.o) - bestPracticeRank(b2.o) || a.i - b2.i).map((x) => x.o);
  }

  // ---- single entities --------------------------------------------------------------------------

  /** The entity's own document path, or undefined where it only exists in a list. */
  private selfPath(e: Entity): string | undefined {
    if (e.type === 'license') { return P.license; }
    const id = e.id ? enc(e.id) : undefined;
    if (!id) { return undefined; }
    switch (e.type) {
      case 'job': return `${V1}/jobs/${id}`;
      case 'jobSession': return `${P.sessions}/${id}`;
      case 'taskSession': return `${V1}/taskSessions/${id}`;
      case 'repository': return `${V1}/backupInfrastructure/repositories/${id}`;
      case 'managedServer': return `${P.managedServers}/${id}`;
      case 'proxy': return `${P.proxies}/${id}`;
      case 'malwareEvent': return `${P.malware}/${id}`;
      default: return undefined;
    }
  }

  /** One row of a list read again, or a 404 the watcher understands. */
  private async row(path: string, id: string, what: string, signal?: AbortSignal): Promise<Obj> {
    const found = (await this.all(path, signal)).find((o) => o.id === id);
    if (!found) { throw new VeeamError('http', `The ${what} is no longer on ${this.host}.`, { status: 404, path: path.split('?')[0] }); }
    return found;
  }

  async refresh(e: Entity, signal?: AbortSignal): Promise<Entity> {
    if (e.type === 'folder' || (!e.id && e.type !== 'license')) { return e; }
    const c = await this.norm(signal);
    const v13 = atLeast(await this.revision(signal), '1.3-rev0');
    const id = e.id ?? '';
    switch (e.type) {
      case 'job': {
        const [j] = await this.jobs(`${P.jobStates}?idFilter=${enc(id)}`, v13, c, signal);
        if (!j) { throw new VeeamError('http', `The job "${e.name}" is no longer on ${this.host}.`, { status: 404, path: P.jobStates }); }
        return j;
      }
      case 'jobSession': return session(await this.json(this.selfPath(e)!, signal), c);
      case 'taskSession': return taskSession(await this.json(this.selfPath(e)!, signal), c);
      case 'repository': return repository(await this.row(`${P.repoStates}?idFilter=${enc(id)}`, id, 'repository', signal));
      case 'managedServer': return managedServer(await this.json(this.selfPath(e)!, signal));
      case 'proxy': return proxy(v13 ? await this.row(P.proxyStates, id, 'proxy', signal) : await this.json(this.selfPath(e)!, signal));
      case 'malwareEvent': return malwareEvent(await this.json(this.selfPath(e)!, signal), c);
      case 'bestPractice': {
        const found = (await this.practices(signal)).find((o) => o.id === id);
        if (!found) { throw new VeeamError('http', `The best practice "${e.name}" is no longer listed.`, { status: 404, path: P.practices }); }
        return bestPractice(found);
      }
      case 'license': return license(await this.json(P.license, signal), c);
      default: return e;
    }
  }

  /** JSON: the payload exactly as received; XML: built from it. */
  async document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
    let text: string;
    let value: unknown;
    const path = this.selfPath(e);
    if (path) {
      const res = this.ok(await this.call('GET', path, signal), 'GET', path);
      value = parseJson(res, path);                     // fail early on a body that is not JSON
      text = res.text;
    } else if (e.type === 'bestPractice' && e.id) {
      // No endpoint of its own: the item as the list carried it.
      value = (await this.practices(signal)).find((o) => o.id === e.id);
      if (!value) { throw new VeeamError('http', `The best practice "${e.name}" is no longer listed.`, { status: 404, path: P.practices }); }
      text = JSON.stringify(value, null, 2);
    } else {
      throw new VeeamError('config', `"${e.name}" has no document of its own${e.type === 'folder' ? ' (it is a folder)' : ''}.`);
    }
    return format === 'json' ? { contentType: 'json', text } : { contentType: 'xml', text: toXml(value, e.type) };
  }

  // ---- actions (one POST each, never retried) ------------------------------------------------------

  startJob(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
    return actions.startJob(this, job, signal, onStatus);
  }

  /** Stop a running job (its session is returned) or one session (re-read after the stop). */
  stopJob(target: Entity, signal?: AbortSignal, options?: { graceful?: boolean }): Promise<Entity> {
    return actions.stopJob(this, target, signal, options);
  }

  /** Retry the failed objects of a job's last run (REST API 1.3 and later). */
  retryJob(job: Entity, signal?: AbortSignal): Promise<Entity> { return actions.retryJob(this, job, signal); }

  /** Enable a disabled job; returns the job read again. */
  enableJob(job: Entity, signal?: AbortSignal): Promise<Entity> { return actions.setEnabled(this, job, true, signal); }

  /** Disable a job (its schedule no longer runs it); returns the job read again. */
  disableJob(job: Entity, signal?: AbortSignal): Promise<Entity> { return actions.setEnabled(this, job, false, signal); }

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
