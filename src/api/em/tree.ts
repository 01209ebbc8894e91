// What the Enterprise Manager tree shows: children (jobs, and later their last runs), refresh and documents.
import { VeeamError } from '../errors';
import { parseJson, stripBom } from '../http/body';
import type { Entity, Page, RawDocument, SessionFilter } from '../model';
import type { EmClient } from './client';
import { FilterExpr, and, cond, eq, or, sessionFilterExpr } from './filter';
import { EmType, LastRun, folder, lastRunOf, mapEntity } from './map';
import { parseXmlBody } from './parse';
import { Obj, reindent, text } from './xml';

const DAY = 86_400_000;
/** The largest page EM is asked for (fewest requests for bulk reads; also the client's queryAll). */
export const BULK = 1000;
/**
 * How far back the sessions of a server are read for the last results of its jobs (then of the jobs not found):
 * a week, so that daily and weekly jobs are found by the first query (up to BULK sessions, newest first).
 */
const RECENT_DAYS = 7;
const LAST_RUN_DAYS = 31;
const UIDS_PER_QUERY = 25;

export async function children(client: EmClient, parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal,
  filter?: SessionFilter): Promise<Page> {
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
      case 'backupServers': return client.pageOf('BackupServer', { page, sortAsc: 'Name' }, signal);
      case 'jobs': return jobsPage(client, r.serverUid, page, signal);
      case 'repositories': return client.pageOf('Repository', { page, sortAsc: 'Name', filter: eq('BackupServerUid', r.serverUid) }, signal);
      case 'backupSessions':
        return client.pageOf('BackupJobSession', { page, sortDesc: 'CreationTime', filter: sessionFilterExpr(filter, 'JobName') }, signal);
      case 'replicaSessions':
        return client.pageOf('ReplicaJobSession', { page, sortDesc: 'CreationTime',
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
      return client.pageOf((r.sessionType as EmType) || 'BackupJobSession',
        { page, sortDesc: 'CreationTime', filter: and(eq('JobUid', parent.id), sessionFilterExpr(filter, 'JobName')) }, signal);
    case 'backupSession': case 'replicaSession':
      return client.pageOf((r.taskType as EmType) || 'BackupTaskSession',
        { page, sortAsc: 'Name', filter: and(eq('JobSessionUid', parent.id), sessionFilterExpr(filter, 'VmDisplayName')) }, signal);
    default: return { items: [] };
  }
}

export async function refresh(client: EmClient, e: Entity, signal?: AbortSignal): Promise<Entity> {
  if (e.type === 'folder' || !e.ref.href) { return e; }
  if (e.type === 'job' && e.id) {
    // The job and its newest session at once: EM's Job has no last result.
    const [v, last] = await Promise.all([client.read(client.local(e.ref.href), signal),
      client.newestSession((e.ref.sessionType as EmType) || 'BackupJobSession', e.id, signal)]);
    return mapEntity('Job', v, Date.now(), last ? lastRunOf(last) : null);
  }
  const v = await client.read(client.local(e.ref.href), signal);
  return mapEntity(e.ref.type as EmType, v);
}

export async function document(client: EmClient, e: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument> {
  if (e.type === 'folder') { throw new VeeamError('config', `"${e.name}" is a folder and has no document of its own.`); }
  if (!e.ref.href) {
    // No UID or Href to read it by: the payload as it came in the list (JSON only).
    if (format === 'json' && e.ref.raw !== undefined) { return { contentType: 'json', text: e.ref.raw }; }
    throw new VeeamError('config', `"${e.name}" came from the server without a UID or link; it has no ${format.toUpperCase()} document to open.`);
  }
  const path = client.local(e.ref.href);
  if (format === 'json') {
    const res = await client.call('GET', path, signal, 'application/json');
    parseJson(res, path);                             // fail early on a body that is not JSON
    return { contentType: 'json', text: stripBom(res.text) };
  }
  const res = await client.call('GET', path, signal, 'application/xml');
  parseXmlBody(res, path);
  return { contentType: 'xml', text: reindent(res.text) };
}

// ---- jobs and their last runs -------------------------------------------------------------

/** An entity without a UID gets its position in the key (the tree's ids derive from keys). */
export function keyed(e: Entity, i: number): Entity {
  if (!e.id) { e.key = `${e.key}#${i}`; }
  return e;
}

/**
 * A page of a server's jobs: one request. Their newest sessions (EM's Job has no last result) come
 * `later`, after the tree shows the jobs: one query per session type on the page, not one per job.
 */
async function jobsPage(client: EmClient, serverUid: string, page: number, signal?: AbortSignal): Promise<Page> {
  const size = client.pageSize;
  const r = await client.query('Job', { page, sortAsc: 'Name', filter: eq('BackupServerUid', serverUid) }, signal);
  const jobs = (last?: Map<string, LastRun>): Entity[] => {
    const now = Date.now();
    return r.items.map((o, i) => {
      const uid = text(o.UID);
      return keyed(mapEntity('Job', o, now, uid && last ? last.get(uid) ?? null : undefined), (page - 1) * size + i);
    });
  };
  const wanted = r.items.filter((o) => text(o.UID)).map((o) => ({ uid: text(o.UID)!, type: sessionTypeOf(o) }));
  return { items: jobs(), next: r.more ? String(page + 1) : undefined,
    later: wanted.length ? async (later) => jobs(await lastRuns(client, serverUid, wanted, later)) : undefined };
}

/**
 * The newest session of each job, by JobUid, without a request per job. Per session type: one query of
 * the server's sessions of the last RECENT_DAYS days (newest first, up to BULK), which finds every job that
 * ran lately; then, only for the jobs it did not find (they run rarely, so they have few sessions), one
 * query per UIDS_PER_QUERY of them over LAST_RUN_DAYS days. A job without a session in that time shows no
 * last result. When a lookup fails the jobs are still listed, without it (the failed request is in the
 * request log).
 */
async function lastRuns(client: EmClient, serverUid: string, jobs: { uid: string; type: EmType }[], signal?: AbortSignal):
  Promise<Map<string, LastRun>> {
  const out = new Map<string, LastRun>();
  const now = Date.now();
  const take = async (type: EmType, filter: FilterExpr | undefined): Promise<void> => {
    let items: Obj[];
    try {
      items = (await client.query(type, { page: 1, pageSize: BULK, sortDesc: 'CreationTime', filter }, signal)).items;
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

/** A job's session type: replica jobs have ReplicaJobSessions, every other type BackupJobSessions. */
function sessionTypeOf(job: Obj): EmType { return text(job.JobType) === 'Replica' ? 'ReplicaJobSession' : 'BackupJobSession'; }
