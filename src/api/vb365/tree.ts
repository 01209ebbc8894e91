// What the VB365 tree shows: children (organizations, repositories, jobs, sessions), refresh and documents.
import type { Entity, Page, RawDocument } from '../model';
import { VeeamError } from '../errors';
import { parseJson } from '../http/body';
import type { Vb365Client } from './client';
import * as N from './normalize';
import { toXml } from './xml';

type Obj = Record<string, unknown>;

export async function children(client: Vb365Client, parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
  const v = await client.version(signal);
  if (!parent) {
    await client.authenticate(signal); // surface authentication problems on the server node
    return { items: [N.folder('orgs', 'Organizations'), N.folder('repos', 'Repositories'), N.folder('jobs', 'Jobs')] };
  }
  switch (parent.type) {
    case 'folder':
      if (parent.ref.folder === 'orgs') { return { items: distinct((await client.all(`/v${v}/Organizations`, signal)).map((o) => N.organization(o))) }; }
      if (parent.ref.folder === 'repos') { return { items: distinct((await client.all(`/v${v}/BackupRepositories`, signal)).map((r) => N.repository(r))) }; }
      if (parent.ref.folder === 'jobs') { return { items: distinct((await client.all(`/v${v}/Jobs`, signal)).map((j) => N.job(j))) }; }
      return { items: [] };
    // Nothing is listed under an entity the server sent without an id (its requests would carry none).
    case 'job': return parent.id ? jobSessions(client, v, parent, cursor, signal) : { items: [] };
    case 'repository': {
      if (!parent.id) { return { items: [] }; }
      return { items: distinct((await syncSessions(client, v, parent.id, signal)).map((s) => N.syncSession(s, parent.name))) };
    }
    default: return { items: [] };
  }
}

/** The sync sessions of one repository (the collection is a bare array in every version; a page is accepted too). */
export async function syncSessions(client: Vb365Client, v: number, repositoryId: string, signal?: AbortSignal): Promise<Obj[]> {
  const list = await client.json(`/v${v}/RepositorySynchronizeSessions`, signal);
  const arr = (Array.isArray(list) ? list : ((list as Obj)?.results as Obj[] | undefined) ?? []) as Obj[];
  return arr.filter((s) => s.repositoryId === repositoryId);
}

export async function jobSessions(client: Vb365Client, v: number, job: Entity, cursor: string | undefined, signal?: AbortSignal): Promise<Page> {
  const c = cursor ? (JSON.parse(cursor) as { offset: number; setId?: string }) : { offset: 0 };
  const id = encodeURIComponent(idOf(job, 'its sessions cannot be listed'));
  const path = v >= 7 ? `/v${v}/JobSessions?jobId=${id}` : `/v${v}/Jobs/${id}/JobSessions`;
  const p = await client.page(path, c.offset, client.pageSize, c.setId, signal);
  const now = Date.now();
  const ctx = { jobId: job.id, jobName: job.name };
  // Each payload is let go as soon as it is normalized: the page is not kept alive beside its entities, which
  // the garbage collector would otherwise copy and promote with them (a 1,000-session page is ~3 MB parsed).
  const raw = p.items;
  const items = new Array<Entity>(raw.length);
  for (let i = 0; i < raw.length; i++) { items[i] = N.jobSession(raw[i], now, ctx); (raw as unknown[])[i] = undefined; }
  distinct(items, c.offset);
  return { items, next: p.next ? JSON.stringify(p.next) : undefined };
}

function selfPath(v: number, e: Entity): string {
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

export async function refresh(client: Vb365Client, e: Entity, signal?: AbortSignal): Promise<Entity> {
  if (!e.id) {
    // A sync session without an id (v4 documents none) is found again in its repository's list; other
    // entities without an id cannot be re-read and stay as they are.
    if (e.type !== 'syncSession' || !e.ref.repositoryId) { return e; }
    const v = await client.version(signal);
    const list = await syncSessions(client, v, e.ref.repositoryId, signal);
    const s = list.find((x) => x.state === 'Synchronizing') ?? list[list.length - 1];
    if (!s) { throw new VeeamError('http', `The sync session of ${e.ref.repositoryName || 'the repository'} is no longer listed.`, { status: 404 }); }
    return { ...N.syncSession(s, e.ref.repositoryName || undefined), key: e.key };
  }
  const v = await client.version(signal);
  const body = await client.json(selfPath(v, e), signal) as Obj;
  return normalize(e, body);
}

function normalize(e: Entity, body: Obj): Entity {
  switch (e.type) {
    case 'organization': return N.organization(body);
    case 'repository': return N.repository(body);
    case 'job': return N.job(body);
    case 'jobSession': return N.jobSession(body, Date.now(), { jobId: e.ref.jobId || undefined, jobName: e.jobName });
    case 'syncSession': return N.syncSession(body, e.ref.repositoryName || undefined);
    default: return e;
  }
}

export async function document(client: Vb365Client, e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
  if (!e.id && e.ref.raw !== undefined) {
    // No id to read it by: the payload as it came in the list.
    return format === 'json' ? { contentType: 'json', text: e.ref.raw } : { contentType: 'xml', text: toXml(JSON.parse(e.ref.raw), e.type) };
  }
  const v = await client.version(signal);
  const path = selfPath(v, e);
  const res = await client.call('GET', path, signal);
  if (res.status < 200 || res.status >= 300) { throw client.error(res, path); }
  if (format === 'json') { return { contentType: 'json', text: res.text }; }
  return { contentType: 'xml', text: toXml(parseJson(res, path), e.type) };
}

/** The entity's id, or a config error saying what cannot be done without one (the server sent none). */
export function idOf(e: Entity, what: string): string {
  if (!e.id) { throw new VeeamError('config', `"${e.name}" came from the server without an id; ${what}.`); }
  return e.id;
}

/**
 * Entities without an id have only a key stem: make every key of a page unique (the tree's ids derive from
 * them). The first of a stem keeps it on the first page; later ones get their position.
 */
export function distinct(items: Entity[], offset = 0): Entity[] {
  // Only keys of entities without an id change: a page where every entity has one (nearly all) stays as it is.
  if (items.every((e) => e.id)) { return items; }
  const seen = new Set<string>();
  items.forEach((e, i) => {
    if (!e.id && (offset > 0 || seen.has(e.key))) { e.key = `${e.key}#${offset + i}`; }
    seen.add(e.key);
  });
  return items;
}
