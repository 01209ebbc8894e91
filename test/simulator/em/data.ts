// Seeded, deterministic EM data: backup servers, jobs, repositories, job sessions and task
// sessions. Times are relative to the moment the data is built; states of running sessions
// are computed from the clock whenever they are read, so progress advances by itself.
import { mulberry32 } from '../rng';

export type SessionKind = 'BackupJobSession' | 'ReplicaJobSession';
export type TaskKind = 'BackupTaskSession' | 'ReplicaTaskSession';

export interface BackupServerRec { id: string; name: string; description: string; port: number; version: string }
export interface RepositoryRec { id: string; name: string; server: BackupServerRec; capacity: number; free: number; kind: string }
export interface JobRec {
  id: string; name: string; server: BackupServerRec; jobType: 'Backup' | 'Replica' | 'BackupCopy';
  platform: string; description: string; scheduleEnabled: boolean; nextRun: number;
  sessionKind: SessionKind; sessions: SessionRec[];  // newest first
}
export interface SessionRec {
  id: string; kind: SessionKind; job: JobRec; start: number; end: number;
  finalResult: 'Success' | 'Warning' | 'Failed'; isRetry: boolean; failureMessage: string;
  seed: number; vmCount: number; tasks?: TaskRec[];
  /** The VMs to process (a retry processes what failed); default: vmCount VMs from the seed. */
  vms?: string[];
  /** How many of the last task sessions end with the session's result when it is not Success. Default 1. */
  failCount?: number;
  /** When a stop was requested (POST ?action=stop): the session is Stopping until `end`. */
  stopRequested?: number;
  /** The progress it had then (it stays there). */
  stopProgress?: number;
}

/** What a test asks for in EmDataHooks.addSession. */
export interface SessionSpec {
  result?: 'Success' | 'Warning' | 'Failed';
  message?: string;
  vmCount?: number;
  failedVms?: number;
  running?: boolean;
  durationMs?: number;
  agoMs?: number;
}
export interface TaskRec {
  id: string; kind: TaskKind; session: SessionRec; vm: string; start: number; end: number;
  finalResult: 'Success' | 'Warning' | 'Failed'; reason: string; totalSize: number;
}

export const rng = mulberry32;

function guid(r: () => number): string {
  const h = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
}

const DAY = 86_400_000;
const JOB_DEFS: [string, JobRec['jobType'], string][] = [
  ['Exchange Backup', 'Backup', 'VMware'], ['SQL Backup', 'Backup', 'VMware'], ['Fileserver Backup', 'Backup', 'Hyperv'],
  ['CRM Backup', 'Backup', 'VMware'], ['Oracle Backup', 'Backup', 'VMware'], ['Web Farm "Prod" Backup', 'Backup', 'Hyperv'],
  ['Fileserver Replication', 'Replica', 'VMware'], ['DC Replication', 'Replica', 'VMware'], ['SQL Replica', 'Replica', 'Hyperv'],
  ['Offsite Copy', 'BackupCopy', 'VMware'],
];
const VMS = ['dc01', 'dc02', 'sql01', 'sql02', 'exch01', 'exch02', 'fs01', 'web01', 'web02', 'web03', 'apache01', 'apache02',
  'crm-app', 'crm-db', 'ora01', 'ora02', 'jump01', 'print01', 'wsus01', 'vc01'];
const KINDS = ['WindowsLocal', 'LinuxLocal', 'CifsShare', 'Nfs', 'Extendable', 'Cloud'];
// Messages as VBR writes them into FailureMessage and task Reason: "Error:"/"Warning:" first, sometimes
// several sentences or lines (EM passes VBR's text through).
export const REASONS_FAILED = ['Error: Failed to create VM snapshot. The operation timed out.', 'Error: Cannot connect to host esx02.lab.local.',
  'Error: Not enough free space on the repository. Required: 412.5 GB, available: 87.2 GB.',
  'Error: VSSControl: Failed to prepare guest for freeze, wait timeout 900 sec\nRetrying snapshot creation attempt (Failed to create snapshot on host esx01.lab.local)',
  'Error: Unable to allocate processing resources. Error: All backup proxies are offline or outdated.'];
export const REASONS_WARNING = ['Warning: Changed block tracking is disabled.', 'Warning: Guest processing skipped: VMware Tools not found.',
  'Warning: Unable to truncate Microsoft SQL Server transaction logs. Details: Failed to process database [model]. Not enough privileges.'];
export const STOPPED_SESSION = 'Job has been stopped by user.';
export const STOPPED_TASK = 'Stopped by user.';

export interface EmDataOptions { seed: number; sessionsPerJob: number; benchReplicaTaskSessions: number; now?: number }

export class EmData {
  readonly servers: BackupServerRec[] = [];
  readonly repositories: RepositoryRec[] = [];
  readonly jobs: JobRec[] = [];
  private sessionIndex = new Map<string, SessionRec>();
  private taskIndex?: Map<string, TaskRec>;
  private readonly r: () => number;

  constructor(private readonly o: EmDataOptions) {
    const r = this.r = rng(o.seed);
    const now = o.now ?? Date.now();
    this.servers.push(
      { id: guid(r), name: 'vbr01.lab.local', description: 'Main site', port: 9392, version: '12.3.1.1139' },
      { id: guid(r), name: 'vbr02.lab.local', description: '', port: 9392, version: '12.2.0.334' });
    const repoCount = 4 + Math.floor(r() * 3);
    for (let i = 0; i < repoCount; i++) {
      const capacity = (1 + Math.floor(r() * 20)) * 1099511627776 / 4;
      this.repositories.push({ id: guid(r), name: i === 0 ? 'Default Backup Repository' : `Backup Volume ${String(i).padStart(2, '0')}`,
        server: this.servers[i % 2], capacity, free: Math.floor(capacity * (0.05 + r() * 0.8)), kind: KINDS[i % KINDS.length] });
    }
    JOB_DEFS.forEach(([name, jobType, platform], j) => {
      const job: JobRec = { id: guid(r), name, server: this.servers[j < 7 ? 0 : 1], jobType, platform, description: `Created by LAB\\administrator`,
        scheduleEnabled: j !== 3, nextRun: Math.ceil(now / DAY) * DAY + 20 * 3_600_000 + j * 600_000,
        sessionKind: jobType === 'Replica' ? 'ReplicaJobSession' : 'BackupJobSession', sessions: [] };
      this.jobs.push(job);
      const n = o.sessionsPerJob;
      const interval = n > 1 ? (60 * DAY) / n : DAY;
      const running = j === 1 || j === 7; // a few sessions are Working right now
      for (let i = 0; i < n; i++) {
        const seed = Math.floor(r() * 2 ** 31);
        let start = now - (i + 1) * interval + Math.floor(r() * interval * 0.3);
        let end = start + 120_000 + Math.floor(r() * 3_000_000);
        if (i === 0 && running) { start = now - 5 * 60_000 - j * 20_000; end = start + 45 * 60_000; }
        const x = r();
        const finalResult = x < 0.8 ? 'Success' : x < 0.92 ? 'Warning' : 'Failed';
        this.addSession(job, { id: guid(r), kind: job.sessionKind, job, start, end, finalResult, isRetry: finalResult === 'Success' && r() < 0.05,
          failureMessage: finalResult === 'Failed' ? REASONS_FAILED[Math.floor(r() * REASONS_FAILED.length)]
            : finalResult === 'Warning' ? REASONS_WARNING[seed % REASONS_WARNING.length] : '', seed,
          vmCount: 3 + Math.floor(r() * 6) }, false);
      }
    });
  }

  private addSession(job: JobRec, s: SessionRec, newest: boolean): void {
    if (newest) {
      // Newest first: a session added later but started earlier goes to its place.
      const at = job.sessions.findIndex((x) => x.start <= s.start);
      job.sessions.splice(at < 0 ? job.sessions.length : at, 0, s);
    } else { job.sessions.push(s); }
    this.sessionIndex.set(s.id, s);
    if (this.taskIndex) { for (const t of this.tasksOf(s)) { this.taskIndex.set(t.id, t); } }
  }

  session(id: string): SessionRec | undefined { return this.sessionIndex.get(id); }
  job(id: string): JobRec | undefined { return this.jobs.find((j) => j.id === id); }

  *allSessions(kind?: SessionKind): Generator<SessionRec> {
    for (const j of this.jobs) { if (!kind || j.sessionKind === kind) { yield* j.sessions; } }
  }

  /** Task sessions of one job session, generated on first use from the session's own seed. */
  tasksOf(s: SessionRec): TaskRec[] {
    if (s.tasks) { return s.tasks; }
    const r = rng(s.seed);
    const kind: TaskKind = s.kind === 'ReplicaJobSession' ? 'ReplicaTaskSession' : 'BackupTaskSession';
    const first = Math.floor(r() * VMS.length);
    const count = s.vms?.length ?? s.vmCount;
    const slot = (s.end - s.start) / count;
    const failing = s.failCount ?? 1;
    const tasks: TaskRec[] = [];
    for (let k = 0; k < count; k++) {
      const start = s.start + Math.floor(k * slot + Math.min(1000, slot / 4));
      const end = Math.floor(start + slot * (0.5 + r() * 0.45));
      let finalResult: TaskRec['finalResult'] = 'Success';
      if (s.finalResult !== 'Success' && k >= count - failing) { finalResult = s.finalResult; }
      const drawn = finalResult === 'Warning' ? REASONS_WARNING[Math.floor(r() * REASONS_WARNING.length)] : '';
      const reason = finalResult === 'Failed' ? (s.failureMessage || REASONS_FAILED[0])
        : finalResult === 'Warning' ? (s.failureMessage || drawn) : '';
      // More VMs than names: dc01, …, vc01, dc01-01, …
      const base = VMS[(first + k) % VMS.length];
      const vm = s.vms?.[k] ?? (k < VMS.length ? base : `${base}-${String(Math.floor(k / VMS.length)).padStart(2, '0')}`);
      tasks.push({ id: guid(r), kind, session: s, vm, start, end, finalResult, reason,
        totalSize: (8 + Math.floor(r() * 120)) * 1073741824 });
    }
    if (s === this.benchTarget()) { tasks.push(...this.benchTasks(s)); }
    s.tasks = tasks;
    return tasks;
  }

  private benchTarget(): SessionRec | undefined {
    if (!this.o.benchReplicaTaskSessions) { return undefined; }
    return this.jobs.find((j) => j.sessionKind === 'ReplicaJobSession')?.sessions.find((s) => s.end < Date.now());
  }

  private benchTasks(s: SessionRec): TaskRec[] {
    const r = rng(this.o.seed ^ 0x5bd1e995);
    const out: TaskRec[] = [];
    for (let k = 0; k < this.o.benchReplicaTaskSessions; k++) {
      const start = s.start + k * 10;
      out.push({ id: guid(r), kind: 'ReplicaTaskSession', session: s, vm: `bench-vm-${String(k).padStart(5, '0')}`, start,
        end: start + 60_000, finalResult: k % 50 === 7 ? 'Failed' : 'Success', reason: k % 50 === 7 ? REASONS_FAILED[0] : '',
        totalSize: 17179869184 });
    }
    return out;
  }

  *allTasks(kind?: TaskKind): Generator<TaskRec> {
    for (const s of this.allSessions(kind === 'BackupTaskSession' ? 'BackupJobSession' : kind ? 'ReplicaJobSession' : undefined)) {
      yield* this.tasksOf(s);
    }
  }

  task(id: string): TaskRec | undefined {
    if (!this.taskIndex) {
      this.taskIndex = new Map();
      for (const t of this.allTasks()) { this.taskIndex.set(t.id, t); }
    }
    return this.taskIndex.get(id);
  }

  runningSession(job: JobRec, now = Date.now()): SessionRec | undefined {
    return job.sessions.find((s) => s.start <= now && s.end > now);
  }

  /** A session started by a client (POST ?action=start). */
  startSession(job: JobRec, durationMs: number, now = Date.now()): SessionRec {
    const s: SessionRec = { id: guid(this.r), kind: job.sessionKind, job, start: now, end: now + durationMs, finalResult: 'Success',
      isRetry: false, failureMessage: '', seed: Math.floor(this.r() * 2 ** 31), vmCount: 3 };
    this.addSession(job, s, true);
    return s;
  }

  /** The newest session that has ended, if the job has one. */
  lastEnded(job: JobRec, now = Date.now()): SessionRec | undefined {
    return job.sessions.find((s) => s.end <= now);
  }

  /** POST ?action=retry: a new session (IsRetry) that processes the VMs that failed or warned in the last one. */
  retrySession(job: JobRec, last: SessionRec, durationMs: number, now = Date.now()): SessionRec {
    const again = this.tasksOf(last).filter((t) => t.finalResult !== 'Success').map((t) => t.vm);
    const vms = again.length ? again : this.tasksOf(last).map((t) => t.vm);
    const s: SessionRec = { id: guid(this.r), kind: job.sessionKind, job, start: now, end: now + durationMs, finalResult: 'Success',
      isRetry: true, failureMessage: '', seed: Math.floor(this.r() * 2 ** 31), vmCount: vms.length, vms };
    this.addSession(job, s, true);
    return s;
  }

  /**
   * POST ?action=stop on a running session: Stopping for `stopMs`, then Stopped with Result Failed and
   * "Job has been stopped by user."; the VMs not done by then end Failed with "Stopped by user.".
   */
  stopSession(s: SessionRec, stopMs: number, now = Date.now()): void {
    const tasks = this.tasksOf(s);          // laid out on the old end before it moves
    const end = Math.min(s.end, now + stopMs);
    s.stopProgress = sessionState(s, now).progress;
    s.stopRequested = now;
    s.end = end;
    s.finalResult = 'Failed';
    s.failureMessage = STOPPED_SESSION;
    for (const t of tasks) {
      if (t.end <= end) { continue; }
      if (t.start > end) { t.start = end; }
      t.end = end;
      t.finalResult = 'Failed';
      t.reason = STOPPED_TASK;
    }
  }

  /** A session a test asks for (EmDataHooks.addSession): ended `agoMs` ago, or running from now for `durationMs`. */
  customSession(job: JobRec, o: SessionSpec, now = Date.now()): SessionRec {
    const durationMs = o.durationMs ?? (o.running ? 60_000 : 600_000);
    const start = o.running ? now : now - (o.agoMs ?? 2 * 3_600_000) - durationMs;
    const result = o.result ?? 'Success';
    const s: SessionRec = { id: guid(this.r), kind: job.sessionKind, job, start, end: start + durationMs, finalResult: result,
      isRetry: false, failureMessage: result === 'Success' ? '' : o.message ?? (result === 'Failed' ? REASONS_FAILED[1] : REASONS_WARNING[0]),
      seed: Math.floor(this.r() * 2 ** 31), vmCount: o.vmCount ?? 3, failCount: o.failedVms };
    this.addSession(job, s, true);
    return s;
  }
}

/** What a session looks like at time `now`. */
export function sessionState(s: { start: number; end: number; finalResult: string; stopProgress?: number }, now = Date.now()):
  { state: string; result: string; progress: number; ended: boolean } {
  // A stopped session keeps the progress it had when the stop was asked for.
  if (s.end <= now) { return { state: 'Stopped', result: s.finalResult, progress: s.stopProgress ?? 100, ended: true }; }
  if (s.stopProgress !== undefined) { return { state: 'Stopping', result: 'None', progress: s.stopProgress, ended: false }; }
  const p = Math.max(0, Math.min(99, Math.floor(((now - s.start) / (s.end - s.start)) * 100)));
  return { state: 'Working', result: 'None', progress: p, ended: false };
}

export function taskState(t: TaskRec, now = Date.now()): { state: string; result: string; ended: boolean } {
  if (t.end <= now) { return { state: 'Completed', result: t.finalResult, ended: true }; }
  if (t.start <= now) { return { state: 'InProgress', result: 'None', ended: false }; }
  return { state: 'Pending', result: 'None', ended: false };
}
