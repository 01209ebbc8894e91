// Job starts and repository syncs. Both are evaluated against the clock when read, so no timers run.
import { hashString, Rng, sessionState, type JobSession, type Vb365Data } from './data';

export interface SyncSession {
  id: string;
  repositoryId: string;
  startedAt: number;
  durationMs: number;
  stalled: boolean;
  stoppedAt?: number;
}

export interface SyncState { state: 'Synchronizing' | 'None'; progressPercent: number }

// Inferred: the docs never name the state after a sync; we report "None" (the enum's idle value) at 100 %.
// A stopped sync also goes to "None" and keeps the percentage it had reached (inferred).
export function syncState(s: SyncSession, now: number): SyncState {
  const until = s.stoppedAt ?? now;
  const pct = s.stalled ? Math.min(42, Math.floor((until - s.startedAt) / 100))
    : Math.min(100, Math.floor(100 * (until - s.startedAt) / s.durationMs));
  if (s.stoppedAt !== undefined) return { state: 'None', progressPercent: pct };
  if (!s.stalled && pct >= 100) return { state: 'None', progressPercent: 100 };
  return { state: 'Synchronizing', progressPercent: pct };
}

export class Runners {
  readonly syncs: SyncSession[] = [];
  private readonly stallNext = new Set<string>();
  constructor(private readonly data: Vb365Data, private readonly syncDurationMs: number, private readonly jobDurationMs: number) {}

  stallSync(repositoryId: string): void { this.stallNext.add(repositoryId); }

  /** Starts a sync, or returns the one already running for this repository. */
  startSync(repositoryId: string, now: number): SyncSession {
    const running = this.syncs.find((s) => s.repositoryId === repositoryId && syncState(s, now).state === 'Synchronizing');
    if (running) return running;
    const s: SyncSession = {
      id: this.data.rng.guid(), repositoryId, startedAt: now, durationMs: this.syncDurationMs,
      stalled: this.stallNext.delete(repositoryId),
    };
    this.syncs.push(s);
    return s;
  }

  stopSync(s: SyncSession, now: number): void {
    if (syncState(s, now).state === 'Synchronizing') s.stoppedAt = now;
  }

  runningSession(jobId: string, now: number): JobSession | undefined {
    return this.data.sessions.find((s) => s.jobId === jobId && sessionState(s, now).status === 'Running');
  }

  /** Starts the job (a new Running session that counts objects up and ends in Success). A running job is left alone. */
  startJob(jobId: string, now: number, full = false): JobSession {
    const running = this.runningSession(jobId, now);
    if (running) return running;
    const job = this.data.jobs.find((j) => j.id === jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    const r = new Rng(hashString(`${jobId}:${now}`));
    const s: JobSession = {
      id: this.data.rng.guid(), jobId, repositoryId: job.repositoryId, proxyId: this.data.sessions[0]?.proxyId ?? r.guid(),
      creationTime: now, plannedEnd: now + this.jobDurationMs, finalStatus: 'Success',
      objects: r.int(200, 1500), objectsPerSecond: 0, configType: full ? 'Full' : 'Incremental', retryCount: 0,
      bytesPerObject: r.int(20_000, 400_000), bottleneck: 'Source', eTag: 1,
    };
    this.data.sessions.unshift(s);
    this.data.sessionById.set(s.id, s);
    job.eTag++;
    return s;
  }

  stopJob(jobId: string, now: number): void {
    const s = this.runningSession(jobId, now);
    if (s) s.stoppedAt = now;
  }

  deleteSession(id: string): void {
    const i = this.data.sessions.findIndex((s) => s.id === id);
    if (i >= 0) this.data.sessions.splice(i, 1);
    this.data.sessionById.delete(id);
  }
}

export interface LogItemData { id: string; usn: number; type: 'Running' | 'Warning' | 'Error' | 'Success' | 'Stop'; text: string; creationTime: number; endTime: number }

const OBJECT_NAMES = ['Mailbox: Adele Vance', 'Mailbox: Alex Wilber', 'Site: Marketing', 'OneDrive: Diego Siciliani', 'Team: Retail', 'Mailbox: Megan Bowen'];

/** The session's log, generated from its id (deterministic); a running session's log grows with its progress. */
export function logItems(s: JobSession, now: number, seed: number): LogItemData[] {
  const st = sessionState(s, now);
  const r = new Rng(seed ^ hashString(s.id));
  const end = st.endTime ?? now;
  const n = Math.min(400, 3 + Math.floor(st.progress / 40));
  const items: LogItemData[] = [];
  const at = (i: number): number => s.creationTime + Math.floor((end - s.creationTime) * i / (n + 1));
  const add = (type: LogItemData['type'], text: string, t: number): void => {
    items.push({ id: r.guid(), usn: 1000 + items.length, type, text, creationTime: t, endTime: t + r.int(100, 5000) });
  };
  add('Success', `Job started at ${new Date(s.creationTime).toISOString()}`, s.creationTime);
  for (let i = 1; i <= n; i++) {
    const w = r.float();
    const name = r.pick(OBJECT_NAMES);
    if (w < 0.05 && st.status !== 'Success') add('Warning', `Processing ${name} finished with warning: item is too large`, at(i));
    else add('Success', `Processing ${name}: ${r.int(1, 900)} items processed`, at(i));
  }
  if (st.status === 'Running') add('Running', `Processing ${r.pick(OBJECT_NAMES)} (${st.progress} objects so far)`, now);
  else if (st.status === 'Failed') add('Error', 'Job finished with error: connection to the organization was lost', end);
  else if (st.status === 'Stopped') add('Stop', 'Job was stopped by user', end);
  else add(st.status === 'Warning' ? 'Warning' : 'Success', `Job finished with ${st.status.toLowerCase()} at ${new Date(end).toISOString()}`, end);
  return items;
}
