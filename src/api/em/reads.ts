// Enterprise Manager reads for logs and the dashboard: sessionLog (task sessions), sessionsSince, repositories.
import { VeeamError } from '../errors';
import { bytes, duration } from '../format';
import type { Entity, LogLine, SessionLog, SessionQuery } from '../model';
import type { EmClient } from './client';
import { and, cond, eq } from './filter';
import { EmType, mapEntity } from './map';
import { keyed } from './tree';
import { Obj, text } from './xml';

const RUNNING = new Set(['starting', 'working', 'resuming', 'pausing', 'stopping', 'inprogress']);
const LOG_NOTE = "Enterprise Manager's REST API has no session log records; these are the session's task sessions (one per VM) with their results and reasons.";
const TASK_LOG_NOTE = "Enterprise Manager's REST API has no session log records; this is the task session's own start, result and reason.";

/**
 * EM's REST API has no session log records. A job session's "log" is its task sessions (one per VM,
 * every page) with their results and reasons; a task session's is its own start and result.
 */
export async function sessionLog(client: EmClient, session: Entity, signal?: AbortSignal): Promise<SessionLog> {
  if (!session.ref.href || !session.id) {
    throw new VeeamError('config', `"${session.name}" came from the server without a UID or link; its task sessions cannot be read.`);
  }
  const path = client.local(session.ref.href);
  if (session.type === 'taskSession') {
    const o = await client.read(path, signal);
    return { lines: ownTaskLines(o), note: TASK_LOG_NOTE, running: isRunning(text(o.State)) || text(o.State)?.toLowerCase() === 'pending' };
  }
  if (session.type !== 'backupSession' && session.type !== 'replicaSession') {
    throw new VeeamError('config', `"${session.name}" is not a session; it has no log.`);
  }
  const taskType = (session.ref.taskType as EmType) || 'BackupTaskSession';
  const [s, tasks] = await Promise.all([
    client.read(path, signal),
    client.queryAll(taskType, { sortAsc: 'CreationTime', filter: eq('JobSessionUid', session.id) }, Infinity, signal),
  ]);
  return { lines: tasks.map(taskLine), note: LOG_NOTE, running: isRunning(text(s.State)) };
}

/** Backup and replica job sessions created in the window, newest first, at most `limit`. */
export async function sessionsSince(client: EmClient, q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> {
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
    (await client.queryAll(type, { sortDesc: 'CreationTime', filter }, limit, signal)).map((o, i) => keyed(mapEntity(type, o, now), i))));
  const time = (e: Entity) => (e.startedAt ? Date.parse(e.startedAt) : NaN);
  return lists.flat()
    .sort((a, b) => (Number.isFinite(time(b)) ? time(b) : -Infinity) - (Number.isFinite(time(a)) ? time(a) : -Infinity))
    .slice(0, limit);
}

/** Every repository of every backup server, with capacity and free space. */
export async function repositories(client: EmClient, signal?: AbortSignal): Promise<Entity[]> {
  const now = Date.now();
  return (await client.queryAll('Repository', { sortAsc: 'Name' }, Infinity, signal)).map((o, i) => keyed(mapEntity('Repository', o, now), i));
}

function isRunning(state: string | undefined): boolean { return RUNNING.has((state ?? '').toLowerCase()); }

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
