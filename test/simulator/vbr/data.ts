// Seeded, deterministic VBR data: the same seed gives the same ids, names and history within a process run.
// Times are relative to EPOCH (this process's start, to the minute); sessions are evaluated against the clock when read.
import type { VbrOptions, VbrResult } from '../types';
import { hashString, Rng } from '../vb365/data';
import { BEST_PRACTICES, JOBS, MESSAGES, PROXIES, REPOSITORIES, SERVERS, V13_ONLY_KINDS, VM_SIZES, type JobDef, type JobKind, type RepoDef, type ServerDef } from './catalog';
import { Clock } from './revisions';

export const EPOCH = Math.floor(Date.now() / 60_000) * 60_000;

/** The VB365 generator with a cheaper GUID (4 draws instead of 33): benchSessions makes ~70,000 of them. */
export class VbrRng extends Rng {
  override guid(): string {
    const h = Array.from({ length: 4 }, () => (Math.floor(this.float() * 4294967296) >>> 0).toString(16).padStart(8, '0')).join('');
    const variant = '89ab'[parseInt(h[16], 16) % 4];
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Job {
  id: string; def: JobDef; name: string; kind: JobKind; objects: string[]; sizesGB: number[];
  repositoryId?: string; backupId: string; disabled: boolean; v13Only: boolean; createdAt: number;
  /** What the next started session does (setNextResult / failNextSession / stallNextSession). */
  next?: { result?: VbrResult; message?: string; stall?: boolean };
}

export type SessionKind = 'job' | 'config' | 'analyzer' | 'infra';

export interface Session {
  id: string; kind: SessionKind; jobId: string; name: string;
  creationTime: number; plannedEnd: number; startingMs: number;
  /** The result it ends with unless stopped. */
  result: VbrResult; message: string;
  objects: string[]; taskIds: string[];
  /** Index of the object that carries the warning or failure. */
  failIndex: number;
  usn0: number; algorithm: 'Full' | 'Increment'; initiatedBy: string;
  retryNumber: number; originalSessionId?: string;
  stoppedAt?: number; stopGraceful?: boolean; stalled?: boolean;
  /** Bytes read per object (for the progress figures). */
  bytesPerObject: number;
  /** Number of records of a big log (the bigLogSession). */
  bigLog?: number;
}

export interface Repo { id: string; def: RepoDef; hostId?: string; uniqueId: string }
export interface Server { id: string; def: ServerDef }
export interface Proxy { id: string; name: string; hostId: string; hostName: string; online: boolean; description: string }
export interface MalwareEvent {
  id: string; type: string; creationTime: number; detectionTime: number; machine: string; machineUuid: string; backupObjectId: string;
  restorePointId: string; state: 'Created' | 'FalsePositive'; details: string; source: string; severity: string; createdBy: string; engine: string;
}

export interface VbrData {
  rng: VbrRng; clock: Clock;
  jobs: Job[]; jobById: Map<string, Job>;
  /** Every session, newest first. */
  sessions: Session[]; sessionById: Map<string, Session>;
  taskById: Map<string, { session: Session; index: number }>;
  repositories: Repo[]; servers: Server[]; proxies: Proxy[]; malware: MalwareEvent[];
  bestPractices: { id: string; text: string; status: string; note: string }[];
  ids: { vbr: string; credentials: string; tenant: string; configJob: string; analyzerJob: string; protectionGroup: string };
  bigLogSessionId: string;
  nextUsn: number;
}

const RESULTS: VbrResult[] = ['Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Warning', 'Warning', 'Warning', 'Failed'];

export function messageFor(rng: Rng, kind: JobKind, result: VbrResult, obj: string | undefined, index?: number): string {
  if (result === 'Success') return '';
  const list = result === 'Warning' ? MESSAGES[kind].warning : MESSAGES[kind].failed;
  return (index !== undefined ? list[index % list.length] : rng.pick(list)).replace('{obj}', obj ?? 'the object');
}

/** Scheduled start times over the last 30 days (oldest first), in the server's local time. */
function slots(def: JobDef, clock: Clock): number[] {
  const out: number[] = [];
  const from = EPOCH - 30 * DAY;
  const until = EPOCH - (def.stoppedDaysAgo ?? 0) * DAY;
  const s = def.schedule;
  if (!s) return out;
  const first = clock.localMidnight(from);
  const step = s.kind === 'daily' ? DAY : s.every * HOUR;
  const offset = s.kind === 'daily' ? (s.hour * 60 + s.minute) * MIN : s.minute * MIN;
  for (let t = first + offset; t <= until; t += step) if (t >= from) out.push(t);
  return out;
}

export function generateVbrData(seed: number, opts: VbrOptions): VbrData {
  const rng = new VbrRng((seed ^ hashString('vbr')) >>> 0);
  const clock = new Clock(opts.utcOffsetMinutes ?? 60);
  const ids = { vbr: rng.guid(), credentials: rng.guid(), tenant: rng.guid(), configJob: rng.guid(), analyzerJob: rng.guid(), protectionGroup: rng.guid() };
  const servers: Server[] = SERVERS.map((def) => ({ id: rng.guid(), def }));
  const repositories: Repo[] = REPOSITORIES.map((def) => ({ id: rng.guid(), def, hostId: def.type === 'WinLocal' ? servers[0].id : undefined, uniqueId: rng.guid() }));
  const proxies: Proxy[] = PROXIES.map((p) => ({ id: rng.guid(), name: p.name, hostId: servers[p.server].id, hostName: p.hostName, online: p.online, description: p.description }));
  const jobs: Job[] = JOBS.map((def, i) => ({
    id: rng.guid(), def, name: def.name, kind: def.kind, objects: def.objects,
    sizesGB: def.objects.map((o) => VM_SIZES[o] ?? rng.int(40, 120)),
    repositoryId: def.repo !== undefined ? repositories[def.repo].id : undefined, backupId: rng.guid(),
    disabled: !!def.disabled, v13Only: V13_ONLY_KINDS.includes(def.kind), createdAt: EPOCH - (400 - i * 17) * DAY,
  }));

  const sessions: Session[] = [];
  const add = (s: Omit<Session, 'id' | 'taskIds' | 'usn0'>): Session => {
    const full: Session = { ...s, id: rng.guid(), taskIds: s.kind === 'job' ? s.objects.map(() => rng.guid()) : [], usn0: 0 };
    sessions.push(full);
    return full;
  };
  const jobSession = (job: Job, start: number, result: VbrResult | 'running', newest: boolean): Session => {
    const [lo, hi] = job.def.minutes;
    const running = result === 'running';
    const final: VbrResult = running ? 'Success' : result;
    const failIndex = rng.int(0, Math.max(0, job.objects.length - 1));
    let message = messageFor(rng, job.kind, final, job.objects[failIndex]);
    if (newest && job.def.key === 'sql') message = messageFor(rng, job.kind, final, job.objects[0], 0);
    if (newest && job.def.key === 'replica') message = messageFor(rng, job.kind, final, job.objects[0], 0);
    const local = new Date(start + clock.offsetMin * MIN);
    return add({
      kind: 'job', jobId: job.id, name: job.name, creationTime: start + rng.int(0, 20_000),
      plannedEnd: running ? EPOCH + 3 * HOUR : start + rng.int(lo, hi) * MIN, startingMs: 8000, result: final, message,
      objects: job.objects, failIndex: newest && job.def.key === 'sql' ? 0 : failIndex,
      algorithm: local.getUTCDay() === 0 ? 'Full' : 'Increment', initiatedBy: 'System', retryNumber: 0,
      bytesPerObject: rng.int(2, 60) * 1024 ** 3,
    });
  };

  for (const job of jobs) {
    // Only the designated jobs are running at EPOCH: other slots too recent to have finished are left out.
    const all = slots(job.def, clock);
    const times = all.filter((t) => t + (job.def.minutes[1] + 1) * MIN <= EPOCH);
    if (job.def.newest === 'running' && all.length > times.length) times.push(all[times.length]);
    const count = times.length;
    times.forEach((t, k) => {
      const newest = k === count - 1;
      const result: VbrResult | 'running' = newest && job.def.newest ? job.def.newest : rng.pick(RESULTS);
      const s = jobSession(job, t, result, newest);
      if (k === 0) s.algorithm = 'Full';
      const retryable = job.kind === 'vsphere-backup' || job.kind === 'vsphere-replica';
      if (result === 'Failed' && retryable && !newest && rng.float() < 0.5) {
        const rStart = s.plannedEnd + 10 * MIN;
        const rResult: VbrResult = rng.float() < 0.7 ? 'Success' : 'Failed';
        add({ ...s, name: `${job.name} (Retry 1)`, creationTime: rStart, plannedEnd: rStart + Math.max(MIN, (s.plannedEnd - s.creationTime) / 3),
          result: rResult, message: rResult === 'Failed' ? s.message : '', objects: [s.objects[s.failIndex]], failIndex: 0,
          retryNumber: 1, originalSessionId: s.id, algorithm: 'Increment' });
      }
    });
  }
  const daily = jobs.find((j) => j.def.key === 'daily') as Job;
  const bench = opts.benchSessions ?? 0;
  for (let i = 0; i < bench; i++) {
    const t = EPOCH - 30 * DAY + Math.floor((i + 0.5) * (30 * DAY - 2 * HOUR) / bench);
    jobSession(daily, t, rng.float() < 0.97 ? 'Success' : 'Warning', false);
  }
  // Server-wide sessions that belong to no listed job.
  const cfgFirst = clock.localMidnight(EPOCH - 30 * DAY) + 10 * HOUR;
  for (let t = cfgFirst; t <= EPOCH; t += DAY) {
    if (t < EPOCH - 30 * DAY) continue;
    const warn = rng.float() < 0.05;
    add({ kind: 'config', jobId: ids.configJob, name: 'Backup Configuration Job', creationTime: t + rng.int(0, 3000), plannedEnd: t + rng.int(20, 45) * 1000,
      startingMs: 1000, result: warn ? 'Warning' : 'Success', message: warn ? 'Configuration backup is not encrypted: credentials are not included' : 'Success',
      objects: [], failIndex: 0, algorithm: 'Full', initiatedBy: 'System', retryNumber: 0, bytesPerObject: 0 });
  }
  for (let d = 29; d >= 0; d -= 7) {
    const t = clock.localMidnight(EPOCH - d * DAY) + 9 * HOUR;
    if (t > EPOCH) continue;
    add({ kind: 'analyzer', jobId: ids.analyzerJob, name: 'Security & Compliance Analyzer', creationTime: t, plannedEnd: t + rng.int(40, 90) * 1000,
      startingMs: 1000, result: 'Warning', message: '3 best practices are not implemented', objects: [], failIndex: 0, algorithm: 'Full',
      initiatedBy: 'System', retryNumber: 0, bytesPerObject: 0 });
  }
  const infra = ['Infrastructure Item Saving', 'Rescan of Manually Added Servers', 'Host Discovery'];
  for (let i = 0; i < 10; i++) {
    const t = EPOCH - rng.int(1, 29 * 24) * HOUR - rng.int(0, 59) * MIN;
    const s = add({ kind: 'infra', jobId: '', name: rng.pick(infra), creationTime: t, plannedEnd: t + rng.int(5, 90) * 1000, startingMs: 500,
      result: 'Success', message: 'Success', objects: [], failIndex: 0, algorithm: 'Full', initiatedBy: 'LAB\\administrator', retryNumber: 0, bytesPerObject: 0 });
    s.jobId = s.id; // infrastructure sessions name themselves as their job (as in the spec's examples)
  }

  sessions.sort((a, b) => a.creationTime - b.creationTime);
  sessions.forEach((s, i) => { s.usn0 = 1000 + i * 10; });
  sessions.reverse();
  const filecopy = jobs.find((j) => j.def.key === 'filecopy') as Job;
  const big = sessions.find((s) => s.jobId === filecopy.id && s.plannedEnd <= EPOCH) as Session;
  big.bigLog = Math.max(10, opts.logRecords ?? 2000);
  const taskById = new Map<string, { session: Session; index: number }>();
  for (const s of sessions) s.taskIds.forEach((t, index) => taskById.set(t, { session: s, index }));

  const machines = [['fs01', 'EncryptedData', 'Infected', 'InternalVeeamDetector', 'Inline entropy analysis', 'Potential malware activity detected: high data entropy'],
    ['web02', 'RansomwareNotes', 'Suspicious', 'InternalVeeamDetector', 'Guest index scan', 'Ransomware note files found: README_TO_DECRYPT.txt'],
    ['laptop-017', 'MalwareExtensions', 'Suspicious', 'InternalVeeamDetector', 'Guest index scan', 'Files with known malware extensions found: 14'],
    ['SQL02', 'YaraScan', 'Infected', 'InternalVeeamDetector', 'YARA', 'YARA rule Ransomware_Generic matched 2 files'],
    ['app01', 'AntivirusScan', 'Clean', 'Manual', 'Microsoft Defender', 'Marked as clean by LAB\\administrator'],
    ['dc01', 'IndicatorOfCompromise', 'Suspicious', 'External', 'Veeam Threat Hunter', 'Indicator of compromise: mimikatz.exe']];
  const malware: MalwareEvent[] = machines.map(([machine, type, severity, source, engine, details], i) => {
    const detection = EPOCH - (26 - i * 5) * DAY - rng.int(0, 600) * MIN;
    return { id: rng.guid(), type, creationTime: detection + rng.int(1, 30) * MIN, detectionTime: detection, machine, machineUuid: rng.guid(),
      backupObjectId: rng.guid(), restorePointId: rng.guid(), state: i === 4 ? 'FalsePositive' : 'Created', details, source, severity,
      createdBy: source === 'Manual' ? 'LAB\\administrator' : 'Veeam Backup & Replication', engine };
  });
  const bestPractices = BEST_PRACTICES.map(([text, status, note]) => ({ id: rng.guid(), text, status, note: note ?? '' }));
  return {
    rng, clock, jobs, jobById: new Map(jobs.map((j) => [j.id, j])), sessions, sessionById: new Map(sessions.map((s) => [s.id, s])),
    taskById, repositories, servers, proxies, malware, bestPractices, ids, bigLogSessionId: big.id, nextUsn: 1000 + sessions.length * 10,
  };
}
