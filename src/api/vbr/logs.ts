// Session logs: `GET /api/v1/sessions/{id}/logs` for a job session, `GET /api/v1/taskSessions/{id}/logs`
// for a task session. Both answer `{totalRecords, records}` in one piece: neither revision (1.2-rev1,
// 1.3-rev2) declares skip/limit on them, only 1.3's statusFilter. Records come newest-updated first and
// change after they appear (status None while in progress, then their result): the lines keep the
// record's id, so a reader that keeps them by id updates them in place.
import type { Entity, LogLine, SessionLog } from '../model';
import { VeeamError } from '../errors';
import { str } from '../format';
import type { VbrClient } from './client';
import { canon } from './enums';
import { NormCtx, Obj, idOf, obj, taskSession } from './normalize';
import { session } from './session';
import { serverTime } from './time';

const enc = encodeURIComponent;

/** Work that may still add records: running, queued, or idle without an end (a backup copy between intervals). */
function stillRuns(e: Entity): boolean {
  return e.status === 'running' || e.status === 'queued' || (e.status === 'idle' && !e.endedAt);
}

export async function sessionLog(client: VbrClient, e: Entity, signal?: AbortSignal): Promise<SessionLog> {
  const task = e.type === 'taskSession';
  if (e.type !== 'jobSession' && !task) {
    throw new VeeamError('config', `"${e.name}" has no log: only job sessions and task sessions have one.`);
  }
  if (!e.id) { throw new VeeamError('config', `The session "${e.name}" came without an id; its log cannot be read.`); }
  const base = `/api/v1/${task ? 'taskSessions' : 'sessions'}/${enc(e.id)}`;
  const c = await client.norm(signal);
  // An ended session never runs again: its log is final. Otherwise read the state first, then the log:
  // a session that ends in between is read once more on the next poll, and no last record is missed.
  let running = false;
  if (!e.endedAt || stillRuns(e)) {
    const o = await client.json(base, signal);
    if (!task) { client.remember(o); }
    running = stillRuns(task ? taskSession(o, c) : session(o, c));
  }
  const path = `${base}/logs`;
  const b = await client.json(path, signal);
  if (!Array.isArray(b.records)) {
    throw new VeeamError('malformed', `Unexpected answer from ${path}: no "records" list.`, { path });
  }
  return { lines: toLines((b.records as unknown[]).map(obj), running, c), running };
}

/** Records → lines, oldest first (by start time, then id). */
export function toLines(records: Obj[], running: boolean, c: NormCtx): LogLine[] {
  const titles = new Map<string, number>();
  const lines = records.map((r): LogLine & { ms: number } => {
    const title = str(r.title)?.trim() ?? '';
    let id = idOf(r.id);
    if (id === undefined) {
      // No id (a server sending null): the title, numbered when repeated, keeps the line stable across reads.
      const n = (titles.get(title) ?? 0) + 1;
      titles.set(title, n);
      id = `t:${title}${n > 1 ? `#${n}` : ''}`;
    }
    const at = serverTime(r.startTime, c.zone);
    const ms = at ? Date.parse(at) : NaN;
    const detail = str(r.description)?.trim();
    return {
      id, ms, time: Number.isFinite(ms) ? new Date(ms).toISOString() : at, status: lineStatus(r.status, running),
      title: title || (detail ?? ''), detail: title ? detail || undefined : undefined,
    };
  });
  lines.sort((a, b) => (Number.isFinite(a.ms) ? a.ms : Infinity) - (Number.isFinite(b.ms) ? b.ms : Infinity)
    || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  return lines.map(({ ms: _ms, ...l }) => l);
}

/** ETaskLogRecordStatus: Succeeded, Warning, Failed; None is a record still in progress while the session runs. */
function lineStatus(status: unknown, running: boolean): LogLine['status'] {
  switch (canon(status)) {
    case 'success': return 'success';          // `Succeeded` (canon aliases it)
    case 'warning': return 'warning';
    case 'failed': return 'failed';
    default: return running ? 'running' : 'info';
  }
}
