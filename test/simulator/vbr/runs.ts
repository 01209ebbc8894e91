// Sessions against the clock (Starting → Working 0→100 % → Stopped; Stopping after a stop) and the job actions.
// Nothing runs in the background: every state is computed from the session's plan and `now` when it is read.
import type { VbrResult } from '../types';
import { messageFor, type Job, type Session, type VbrData } from './data';

export type SessionStateName = 'Starting' | 'Working' | 'Stopping' | 'Stopped';

export interface SessionState {
  state: SessionStateName; progress: number; endTime: number | null;
  result: VbrResult | 'None'; message: string; isCanceled: boolean; usn: number;
}

const STALL_AT = 42;
const RANK: Record<SessionStateName, number> = { Starting: 0, Working: 1, Stopping: 2, Stopped: 3 };

/** How long "Stopping" lasts after a stop request. */
export function stopMs(s: Session): number { return Math.min(1000, Math.max(100, Math.floor((s.plannedEnd - s.creationTime) / 10))); }

/** Progress (0–100) the plan has reached at time t, ignoring stops. */
function planned(s: Session, t: number): number {
  const work = s.creationTime + s.startingMs;
  if (t < work) return 0;
  const pct = Math.floor(100 * (t - work) / Math.max(1, s.plannedEnd - work));
  return s.stalled ? Math.min(STALL_AT, pct) : Math.min(99, pct);
}

export function sessionState(s: Session, now: number): SessionState {
  const mk = (state: SessionStateName, progress: number, endTime: number | null, result: VbrResult | 'None', message: string, isCanceled = false): SessionState =>
    ({ state, progress, endTime, result, message, isCanceled, usn: s.usn0 + RANK[state] * 101 + progress });
  const naturalEnd = s.stalled ? Infinity : s.plannedEnd;
  if (s.stoppedAt !== undefined && s.stoppedAt < naturalEnd) {
    const at = planned(s, s.stoppedAt);
    const done = s.stoppedAt + stopMs(s);
    if (now < done) return mk('Stopping', at, null, 'None', '');
    return mk('Stopped', at, done, s.stopGraceful ? 'Warning' : 'Failed', 'Job has been stopped by user', true);
  }
  if (now < s.creationTime + s.startingMs) return mk('Starting', 0, null, 'None', '');
  if (now < naturalEnd) return mk('Working', planned(s, now), null, 'None', '');
  return mk('Stopped', 100, s.plannedEnd, s.result, s.message);
}

export function isRunning(s: Session, now: number): boolean {
  // Fast path for the (many) sessions that ended long ago.
  if (!s.stalled && now >= s.plannedEnd && (s.stoppedAt === undefined || now >= s.stoppedAt + stopMs(s))) return false;
  return sessionState(s, now).state !== 'Stopped';
}

export interface TaskState {
  visible: boolean; state: SessionStateName; progress: number; start: number; endTime: number | null;
  result: VbrResult | 'None'; message: string; isCanceled: boolean;
}

/** Object i of n is processed in [start, end] inside the session's working time; objects overlap (parallel tasks). */
export function taskWindow(s: Session, i: number): { start: number; end: number } {
  const n = Math.max(1, s.objects.length);
  const work = s.creationTime + s.startingMs;
  const span = Math.max(n, s.plannedEnd - work) * 0.9;
  const start = work + Math.floor(span * 0.5 * i / n);
  return { start, end: start + Math.floor(span * 0.5) };
}

export function taskState(s: Session, i: number, now: number): TaskState {
  const w = taskWindow(s, i);
  const st = sessionState(s, now);
  const cut = s.stoppedAt !== undefined && s.stoppedAt < w.end ? s.stoppedAt : undefined;
  const visible = now >= w.start && (cut === undefined || cut >= w.start);
  const frac = (t: number): number => Math.min(99, Math.floor(100 * (t - w.start) / Math.max(1, w.end - w.start)));
  if (cut !== undefined && (st.state === 'Stopped' || st.state === 'Stopping')) {
    const endTime = st.state === 'Stopped' ? st.endTime : null;
    return { visible, state: st.state, progress: frac(cut), start: w.start, endTime, result: st.state === 'Stopped' ? st.result : 'None',
      message: st.state === 'Stopped' ? 'Stopped by user' : '', isCanceled: st.state === 'Stopped' };
  }
  if (now < w.end || (s.stalled && st.state !== 'Stopped')) {
    return { visible, state: 'Working', progress: s.stalled ? Math.min(STALL_AT, frac(now)) : frac(now), start: w.start, endTime: null, result: 'None', message: '', isCanceled: false };
  }
  const bad = s.result !== 'Success' && i === s.failIndex;
  return { visible, state: 'Stopped', progress: 100, start: w.start, endTime: w.end, result: bad ? s.result : 'Success', message: bad ? s.message : 'Success', isCanceled: false };
}

export class ActionError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** Job starts, stops and retries; the test hooks that decide how the next session ends. */
export class Runs {
  private nextForAny?: { result: VbrResult; message?: string };
  constructor(private readonly data: VbrData, private readonly durationMs: number) {}

  lastSession(job: Job): Session | undefined { return this.data.sessions.find((s) => s.jobId === job.id); }
  running(job: Job, now: number): Session | undefined { return this.data.sessions.find((s) => s.jobId === job.id && isRunning(s, now)); }
  /** The newest session that has ended (what lastResult and retry look at). */
  lastFinished(job: Job, now: number): Session | undefined { return this.data.sessions.find((s) => s.jobId === job.id && !isRunning(s, now)); }

  setNext(job: Job | undefined, next: { result?: VbrResult; message?: string; stall?: boolean }): void {
    if (job) job.next = { ...job.next, ...next };
    else if (next.result) this.nextForAny = { result: next.result, message: next.message };
  }

  /** Start (or retry: `retryOf`) a session. Refusals throw ActionError(400) with the message a client shows. */
  start(job: Job, now: number, user: string, o: { full?: boolean; retryOf?: Session } = {}): Session {
    if (job.disabled) throw new ActionError(400, `Job '${job.name}' is disabled. Enable the job to start it.`);
    if (this.running(job, now)) throw new ActionError(400, `Job '${job.name}' is already running.`);
    let next: Job['next'] = job.next;
    if (next) job.next = undefined;
    else if (this.nextForAny) { next = this.nextForAny; this.nextForAny = undefined; }
    const r = this.data.rng;
    const retry = o.retryOf;
    // A retry processes the object that failed (or every object when the session was stopped by a user).
    const objects = !retry ? job.objects : retry.stoppedAt !== undefined ? retry.objects : [retry.objects[retry.failIndex]].filter(Boolean);
    const result: VbrResult = next?.result ?? (objects.length ? 'Success' : 'Failed');
    const failIndex = r.int(0, Math.max(0, objects.length - 1));
    const message = next?.message ?? (objects.length ? messageFor(r, job.kind, result, objects[failIndex]) : 'Nothing to process: the job has no objects');
    const original = retry ? retry.originalSessionId ?? retry.id : undefined;
    const retryNumber = retry ? retry.retryNumber + 1 : 0;
    const s: Session = {
      id: r.guid(), kind: 'job', jobId: job.id, name: retry ? `${job.name} (Retry ${retryNumber})` : job.name,
      creationTime: now, plannedEnd: now + (objects.length ? this.durationMs : Math.min(this.durationMs, 500)),
      startingMs: Math.min(1000, Math.floor(this.durationMs * 0.15)), result, message, objects, taskIds: objects.map(() => r.guid()),
      failIndex, usn0: (this.data.nextUsn += 1000), algorithm: o.full ? 'Full' : 'Increment', initiatedBy: user, retryNumber,
      originalSessionId: original, stalled: !!next?.stall, bytesPerObject: r.int(1, 8) * 1024 ** 3,
    };
    this.data.sessions.unshift(s);
    this.data.sessionById.set(s.id, s);
    s.taskIds.forEach((t, index) => this.data.taskById.set(t, { session: s, index }));
    return s;
  }

  retry(job: Job, now: number, user: string): Session {
    if (this.running(job, now)) throw new ActionError(400, `Job '${job.name}' is already running.`);
    const last = this.lastFinished(job, now);
    const res = last ? sessionState(last, now).result : 'None';
    if (!last || (res !== 'Failed' && res !== 'Warning')) {
      throw new ActionError(400, `Unable to retry job '${job.name}': the last job session did not fail or finish with a warning.`);
    }
    return this.start(job, now, user, { retryOf: last });
  }

  /** Stop a running session; gracefulStop ends it with Warning, an immediate stop with Failed (both isCanceled). */
  stop(s: Session, now: number, graceful: boolean): void {
    if (!isRunning(s, now) || s.stoppedAt !== undefined) throw new ActionError(400, `Session '${s.name}' is not running.`);
    s.stoppedAt = now;
    s.stopGraceful = graceful;
  }

  deleteSession(id: string): void {
    const s = this.data.sessionById.get(id);
    if (!s) return;
    this.data.sessions.splice(this.data.sessions.indexOf(s), 1);
    this.data.sessionById.delete(id);
    for (const t of s.taskIds) this.data.taskById.delete(t);
  }
}
