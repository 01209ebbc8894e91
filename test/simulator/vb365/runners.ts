// Job starts and repository syncs. Both are evaluated against the clock when read, so no timers run.
import { hashString, Rng, sessionState, type JobSession, type Vb365Data } from './data';

export interface SyncSession {
  id: string;
  repositoryId: string;
  startedAt: number;
  durationMs: number;
  stalled: boolean;
  stoppedAt?: number;
  /** The sync fails with this error when it reaches 60 % (vb365Data.failSync). */
  failWith?: string;
}

export interface SyncState { state: 'Synchronizing' | 'None' | 'Failed'; progressPercent: number; error?: string }

/** How the next run of a job goes (vb365Data.nextRun): its end status and message, length and log size. */
export interface RunPlan { status?: 'Success' | 'Warning' | 'Failed'; message?: string; durationMs?: number; logItems?: number }

/** A job action the server refuses in the job's state: 400 RESTExceptionInfo with this message (texts inferred). */
export class Refused extends Error {}

// Inferred: the docs never name the state after a sync; we report "None" (the enum's idle value) at 100 %.
// A stopped sync also goes to "None" and keeps the percentage it had reached (inferred). A sync told to fail
// (failWith) goes to "Failed" at 60 % with the error text in `error`.
export function syncState(s: SyncSession, now: number): SyncState {
  const until = s.stoppedAt ?? now;
  const pct = s.stalled ? Math.min(42, Math.floor((until - s.startedAt) / 100))
    : Math.min(100, Math.floor(100 * (until - s.startedAt) / s.durationMs));
  if (s.failWith !== undefined && pct >= 60) {
    return { state: 'Failed', progressPercent: 60, error: s.failWith };
  }
  if (s.stoppedAt !== undefined) return { state: 'None', progressPercent: pct };
  if (!s.stalled && pct >= 100) return { state: 'None', progressPercent: 100 };
  return { state: 'Synchronizing', progressPercent: pct };
}

export class Runners {
  readonly syncs: SyncSession[] = [];
  private readonly stallNext = new Set<string>();
  private readonly failNext = new Map<string, string>();
  private readonly plans = new Map<string, RunPlan>();
  constructor(private readonly data: Vb365Data, private readonly syncDurationMs: number, private readonly jobDurationMs: number) {}

  stallSync(repositoryId: string): void { this.stallNext.add(repositoryId); }
  /** The next sync of this repository fails with `error` at 60 %. */
  failSync(repositoryId: string, error: string): void { this.failNext.set(repositoryId, error); }
  /** The next start of this job runs as planned (then runs are plain again). */
  planRun(jobId: string, plan: RunPlan): void { this.plans.set(jobId, plan); }

  /** Starts a sync, or returns the one already running for this repository. */
  startSync(repositoryId: string, now: number): SyncSession {
    const running = this.syncs.find((s) => s.repositoryId === repositoryId && syncState(s, now).state === 'Synchronizing');
    if (running) return running;
    const s: SyncSession = {
      id: this.data.rng.guid(), repositoryId, startedAt: now, durationMs: this.syncDurationMs,
      stalled: this.stallNext.delete(repositoryId), failWith: this.failNext.get(repositoryId),
    };
    this.failNext.delete(repositoryId);
    this.syncs.push(s);
    return s;
  }

  stopSync(s: SyncSession, now: number): void {
    if (syncState(s, now).state === 'Synchronizing') s.stoppedAt = now;
  }

  runningSession(jobId: string, now: number): JobSession | undefined {
    return this.data.sessions.find((s) => s.jobId === jobId && sessionState(s, now).status === 'Running');
  }

  /**
   * Starts the job: a new Running session that counts objects up and ends in Success (or as vb365Data.nextRun
   * planned). A running job is left alone (its session is returned); a disabled job is refused (inferred).
   */
  startJob(jobId: string, now: number, full = false): JobSession {
    const job = this.data.jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (!job.isEnabled) throw new Refused(`Job "${job.name}" is disabled. Enable the job to start it.`);
    const running = this.runningSession(jobId, now);
    if (running) return running;
    const plan = this.plans.get(jobId) ?? {};
    this.plans.delete(jobId);
    const r = new Rng(hashString(`${jobId}:${now}`));
    const s: JobSession = {
      id: this.data.rng.guid(), jobId, repositoryId: job.repositoryId, proxyId: this.data.sessions[0]?.proxyId ?? r.guid(),
      creationTime: now, plannedEnd: now + (plan.durationMs ?? this.jobDurationMs), finalStatus: plan.status ?? 'Success',
      objects: r.int(200, 1500), objectsPerSecond: 0, configType: full ? 'Full' : 'Incremental', retryCount: 0,
      bytesPerObject: r.int(20_000, 400_000), bottleneck: 'Source', eTag: 1, message: plan.message, logItems: plan.logItems,
    };
    this.data.sessions.unshift(s);
    this.data.sessionById.set(s.id, s);
    job.eTag++;
    return s;
  }

  /** Stops the job's running session (it ends Stopped now); a job that is not running is refused (inferred). */
  stopJob(jobId: string, now: number): JobSession {
    const job = this.data.jobs.find((j) => j.id === jobId);
    const s = this.runningSession(jobId, now);
    if (!s) throw new Refused(`Job "${job?.name ?? jobId}" is not running.`);
    s.stoppedAt = now;
    s.eTag++;
    if (job) job.eTag++;
    return s;
  }

  /** Enables or disables the job's schedule; enabling an enabled job (or disabling a disabled one) is refused (inferred). */
  setEnabled(jobId: string, enabled: boolean): void {
    const job = this.data.jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (job.isEnabled === enabled) throw new Refused(`Job "${job.name}" is already ${enabled ? 'enabled' : 'disabled'}.`);
    job.isEnabled = enabled;
    job.eTag++;
  }

  deleteSession(id: string): void {
    const i = this.data.sessions.findIndex((s) => s.id === id);
    if (i >= 0) this.data.sessions.splice(i, 1);
    this.data.sessionById.delete(id);
  }
}
