// What the VBR tree shows: the server's folders and their children, single entities read
// again for watching, and their documents (JSON as received, XML built from it).
import type { Entity, Page, RawDocument } from '../model';
import { VeeamError } from '../errors';
import { parseJson } from '../http/body';
import type { VbrClient } from './client';
import { atLeast } from './revision';
import { NormCtx, Obj, idOf, job, obj, taskSession } from './normalize';
import { session } from './session';
import { bestPractice, bestPracticeRank, folder, license, malwareEvent, managedServer, proxy, repository } from './infra';
import { toXml } from './xml';

/** Sessions read at once on 1.2 for the progress of running jobs. */
const PARALLEL = 4;

const V1 = '/api/v1';
export const P = {
  jobStates: `${V1}/jobs/states`, sessions: `${V1}/sessions`, repoStates: `${V1}/backupInfrastructure/repositories/states`,
  managedServers: `${V1}/backupInfrastructure/managedServers`, proxies: `${V1}/backupInfrastructure/proxies`,
  proxyStates: `${V1}/backupInfrastructure/proxies/states`, malware: `${V1}/malwareDetection/events`,
  practices: `${V1}/securityAnalyzer/bestPractices`, license: `${V1}/license`,
};

const enc = encodeURIComponent;

export class VbrTree {
  constructor(private readonly c: VbrClient) {}

  // ---- the tree -------------------------------------------------------------------------------

  async children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
    const rev = await this.c.revision(signal);
    const v13 = atLeast(rev, '1.3-rev0');
    const c = await this.c.norm(signal);
    if (!parent) {
      await this.c.connect(signal); // authentication problems show on the server node
      return { items: [folder('jobs', 'Jobs'), folder('repos', 'Repositories'), folder('infra', 'Infrastructure'),
        ...(v13 ? [folder('security', 'Security')] : []), folder('license', 'License')] };
    }
    if (parent.type === 'folder') {
      switch (parent.ref.folder) {
        case 'jobs': return { items: await this.jobs(`${P.jobStates}?orderColumn=Name&orderAsc=true`, v13, c, signal) };
        case 'repos': return { items: (await this.c.all(`${P.repoStates}?orderColumn=Name&orderAsc=true`, signal)).map(repository) };
        case 'infra': return { items: [folder('managedServers', 'Managed Servers'), folder('proxies', 'Backup Proxies')] };
        case 'managedServers': return { items: (await this.c.all(`${P.managedServers}?orderColumn=Name&orderAsc=true`, signal)).map(managedServer) };
        case 'proxies': return { items: (await this.c.all(`${v13 ? P.proxyStates : P.proxies}?orderColumn=Name&orderAsc=true`, signal)).map(proxy) };
        case 'security': return { items: [folder('malwareEvents', 'Malware Events'), folder('bestPractices', 'Best Practices')] };
        case 'malwareEvents':
          return this.c.paged(`${P.malware}?orderColumn=DetectionTimeUtc&orderAsc=false`, cursor, (o) => malwareEvent(o, c), signal);
        case 'bestPractices': return { items: (await this.practices(signal)).map(bestPractice) };
        case 'license': return { items: [license(await this.c.json(P.license, signal), c)] };
        default: return { items: [] };
      }
    }
    if (!parent.id) { return { items: [] }; }
    switch (parent.type) {
      case 'job':
        return this.c.paged(`${P.sessions}?jobIdFilter=${enc(parent.id)}&orderColumn=CreationTime&orderAsc=false`, cursor, (o) => this.session(o, c), signal);
      case 'jobSession': {
        const path = `${P.sessions}/${enc(parent.id)}/taskSessions`;
        if (v13) { return this.c.paged(`${path}?orderColumn=Name&orderAsc=true`, cursor, (o) => taskSession(o, c), signal); }
        // 1.2 takes no paging parameters: one answer holds them all.
        const b = await this.c.json(path, signal);
        return { items: (Array.isArray(b.data) ? b.data as unknown[] : []).map((o) => taskSession(obj(o), c)) };
      }
      default: return { items: [] };
    }
  }

  /** Job states; on 1.2 a running job's progress is its last session's progressPercent. */
  private async jobs(path: string, v13: boolean, c: NormCtx, signal?: AbortSignal): Promise<Entity[]> {
    const states = await this.c.all(path, signal);
    const last = new Map<string, Obj>();
    if (!v13) {
      const wanted = states.filter((j) => job(j, c).status === 'running' && idOf(j.sessionId)).map((j) => idOf(j.sessionId)!);
      for (let i = 0; i < wanted.length; i += PARALLEL) {
        await Promise.all(wanted.slice(i, i + PARALLEL).map(async (id) => {
          try { last.set(id, await this.c.json(`${P.sessions}/${enc(id)}`, signal)); } catch (e) {
            if ((e as VeeamError).kind === 'cancelled') { throw e; }   // progress is optional; the job row is not
          }
        }));
      }
    }
    return states.map((j) => job(j, c, last.get(idOf(j.sessionId) ?? ''), this.c.lastMessage(idOf(j.sessionId))));
  }

  /** A SessionModel as an entity; its message is kept for its job's row. */
  private session(o: Obj, c: NormCtx): Entity {
    this.c.remember(o);
    return session(o, c);
  }

  private async practices(signal?: AbortSignal): Promise<Obj[]> {
    const b = await this.c.json(P.practices, signal);
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
    const found = (await this.c.all(path, signal)).find((o) => o.id === id);
    if (!found) { throw new VeeamError('http', `The ${what} is no longer on ${this.c.host}.`, { status: 404, path: path.split('?')[0] }); }
    return found;
  }

  async refresh(e: Entity, signal?: AbortSignal): Promise<Entity> {
    if (e.type === 'folder' || (!e.id && e.type !== 'license')) { return e; }
    const c = await this.c.norm(signal);
    const v13 = atLeast(await this.c.revision(signal), '1.3-rev0');
    const id = e.id ?? '';
    switch (e.type) {
      case 'job': {
        const [j] = await this.jobs(`${P.jobStates}?idFilter=${enc(id)}`, v13, c, signal);
        if (!j) { throw new VeeamError('http', `The job "${e.name}" is no longer on ${this.c.host}.`, { status: 404, path: P.jobStates }); }
        return j;
      }
      case 'jobSession': return this.session(await this.c.json(this.selfPath(e)!, signal), c);
      case 'taskSession': return taskSession(await this.c.json(this.selfPath(e)!, signal), c);
      case 'repository': return repository(await this.row(`${P.repoStates}?idFilter=${enc(id)}`, id, 'repository', signal));
      case 'managedServer': return managedServer(await this.c.json(this.selfPath(e)!, signal));
      case 'proxy': return proxy(v13 ? await this.row(P.proxyStates, id, 'proxy', signal) : await this.c.json(this.selfPath(e)!, signal));
      case 'malwareEvent': return malwareEvent(await this.c.json(this.selfPath(e)!, signal), c);
      case 'bestPractice': {
        const found = (await this.practices(signal)).find((o) => o.id === id);
        if (!found) { throw new VeeamError('http', `The best practice "${e.name}" is no longer listed.`, { status: 404, path: P.practices }); }
        return bestPractice(found);
      }
      case 'license': return license(await this.c.json(P.license, signal), c);
      default: return e;
    }
  }

  /** JSON: the payload exactly as received; XML: built from it. */
  async document(e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
    let text: string;
    let value: unknown;
    const path = this.selfPath(e);
    if (path) {
      const res = this.c.ok(await this.c.call('GET', path, signal), 'GET', path);
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
}
