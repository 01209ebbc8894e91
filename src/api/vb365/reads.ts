// VB365 reads for logs and the dashboard: sessionLog (job and sync sessions), sessionsSince, repositories.
import type { Entity, SessionLog, SessionQuery } from '../model';
import { VeeamError } from '../errors';
import { isoMs, str } from '../format';
import type { Vb365Client } from './client';
import * as N from './normalize';
import { distinct, idOf } from './tree';

type Obj = Record<string, unknown>;
/** Pages of a session log read at most (a million records). */
const MAX_LOG_PAGES = 100;
/** sessionsSince: sessions returned at most by default. */
const DEFAULT_SESSIONS_LIMIT = 10_000;

/** The log of a job session (every LogItems page, oldest first) or what a sync session says of itself. */
export async function sessionLog(client: Vb365Client, session: Entity, signal?: AbortSignal): Promise<SessionLog> {
  const v = await client.version(signal);
  if (session.type === 'syncSession') { return syncLog(client, session, signal); }
  if (session.type !== 'jobSession') { throw new VeeamError('config', `"${session.name}" has no session log.`); }
  const id = encodeURIComponent(idOf(session, 'its log cannot be read'));
  // Read the session first, then its log: a session that ended in between is read once more on the next poll,
  // and never reported ended while its last records are missing. A finished session does not run again.
  let running = session.status === 'running' || session.status === 'queued';
  if (running) {
    const fresh = N.jobSession(await client.json(`/v${v}/JobSessions/${id}`, signal) as Obj);
    running = fresh.status === 'running' || fresh.status === 'queued';
  }
  const items = await client.every(`/v${v}/JobSessions/${id}/LogItems`, MAX_LOG_PAGES, signal);
  return { lines: N.logLines(items, running), running };
}

/** VB365 keeps no log for repository synchronization: the session's own state, progress and error as lines. */
async function syncLog(client: Vb365Client, session: Entity, signal?: AbortSignal): Promise<SessionLog> {
  const s = await client.refresh(session, signal);
  return { ...N.syncLogLines(s), note: 'VB365 keeps no log for repository synchronization; these lines are the sync session\'s own state.' };
}

/**
 * Job sessions created in [since, until], newest first, at most `limit`. v7+: the server-wide JobSessions with
 * the largest page; v4–v6: each job's JobSessions (their payloads name no job). Paging stops at the first page
 * that reaches back before `since` (sessions come newest first) or once `limit` sessions are in the window.
 */
export async function sessionsSince(client: Vb365Client, q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> {
  const v = await client.version(signal);
  const since = Date.parse(q.since);
  const until = q.until ? Date.parse(q.until) : Date.now();
  if (!Number.isFinite(since) || !Number.isFinite(until)) { throw new VeeamError('config', `Not a time window: ${q.since} – ${q.until ?? 'now'}.`); }
  const limit = Math.max(0, q.limit ?? DEFAULT_SESSIONS_LIMIT);
  const jobs = (await client.all(`/v${v}/Jobs`, signal)).map((j) => N.job(j));
  const names = new Map(jobs.filter((j) => j.id).map((j) => [j.id!, j.name]));
  const now = Date.now();
  // Each session with its start time, parsed once (the sort below compared Date.parse of both sides).
  const found: { e: Entity; t: number }[] = [];
  const read = async (path: string, ctx: N.SessionContext): Promise<void> => {
    const keep = (items: Obj[]): number => {
      let inWindow = 0;
      for (const o of items) {
        const created = isoMs(str(o.creationTime));
        if (!Number.isFinite(created) || created < since || created > until) { continue; }
        const e = N.jobSession(o, now, ctx);
        if (!e.jobName && e.ref.jobId) { e.jobName = names.get(e.ref.jobId); }
        found.push({ e, t: created });
        inWindow++;
      }
      return inWindow;
    };
    let taken = 0;
    await client.pages(path, (items) => {
      taken += keep(items);
      // Newest first: a page whose last (oldest) session is older than `since` is the last one needed.
      const last = isoMs(str(items[items.length - 1]?.creationTime));
      return (Number.isFinite(last) && last < since) || taken >= limit;
    }, signal);
  };
  if (v >= 7) {
    await read(`/v${v}/JobSessions`, {});
  } else {
    for (const j of jobs) {
      if (j.id) { await read(`/v${v}/Jobs/${encodeURIComponent(j.id)}/JobSessions`, { jobId: j.id, jobName: j.name }); }
    }
  }
  found.sort((a, b) => b.t - a.t);
  return distinct(found.slice(0, limit).map((f) => f.e));
}

/** Every repository with its capacity and free space (where the server reports both). */
export async function repositories(client: Vb365Client, signal?: AbortSignal): Promise<Entity[]> {
  const v = await client.version(signal);
  return distinct((await client.all(`/v${v}/BackupRepositories`, signal)).map((r) => N.repository(r)));
}
