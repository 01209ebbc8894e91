// Seeded, deterministic VB365 data. The same seed gives the same ids, names and history within a process run.
import type { Vb365Options } from '../types';

export type SessionStatus = 'Stopped' | 'Running' | 'Success' | 'Failed' | 'Warning';
export type Bottleneck = 'NA' | 'Detecting' | 'Source' | 'Target';

import { mulberry32 } from '../rng';


export class Rng {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }
  float(): number { return this.next(); }
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.next() * xs.length)]; }
  /** A version-4-shaped GUID made from the seeded stream. */
  guid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = '89ab'[Math.floor(this.next() * 4)];
    const h = hex.join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Fixed for the process run, so generated dates are deterministic per seed. */
export const EPOCH = Math.floor(Date.now() / 3_600_000) * 3_600_000;
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Organization {
  id: string; name: string; officeName: string; type: 'Office365' | 'Hybrid'; region: 'Worldwide';
  isExchangeOnline: boolean; isSharePointOnline: boolean; isTeamsOnline: boolean; isTeamsChatsOnline: boolean;
  firstBackuptime: number;
}

export interface Repository {
  id: string; name: string; path: string; capacityBytes: number; freeSpaceBytes: number; proxyId: string;
  retentionType: 'ItemLevel' | 'SnapshotBased'; retentionPeriodType: 'Daily' | 'Yearly';
  dailyRetentionPeriod?: number; yearlyRetentionPeriod?: 'Years3' | 'Years7';
  isLongTerm: boolean; isOutOfSync: boolean; isIndexed: boolean;
}

export interface Job {
  id: string; name: string; organizationId: string; repositoryId: string;
  backupType: 'EntireOrganization' | 'SelectedItems'; isEnabled: boolean; dailyTime: string;
  scheduleType: 'Daily' | 'Periodically'; eTag: number;
}

export interface Statistics {
  processingRateBytesPS: number; processingRateItemsPS: number; readRateBytesPS: number; writeRateBytesPS: number;
  transferredDataBytes: number; processedObjects: number; bottleneck: Bottleneck;
}

export interface JobSession {
  id: string; jobId: string; repositoryId: string; proxyId: string;
  creationTime: number;
  /** Planned end (ms). null = runs until stopped (the seeded Running sessions). */
  plannedEnd: number | null;
  /** Status once it has ended (for a Running session: what it becomes at plannedEnd). */
  finalStatus: SessionStatus;
  /** Objects processed at the end (finished) or per second (running without an end). */
  objects: number;
  objectsPerSecond: number;
  stoppedAt?: number;
  configType: 'Full' | 'Incremental';
  retryCount: number;
  bytesPerObject: number;
  bottleneck: Bottleneck;
  eTag: number;
  /** The `details` once it has ended Failed or Warning; default: one of logs.ts's messages, chosen by its id. */
  message?: string;
  /** Records its log has in all (start, processing, end); default: sized by its objects (logs.ts). */
  logItems?: number;
}

export interface Vb365Data {
  installationId: string;
  organizations: Organization[];
  repositories: Repository[];
  jobs: Job[];
  /** Every session, newest first. */
  sessions: JobSession[];
  sessionById: Map<string, JobSession>;
  /** The session given Vb365Options.benchLogItems records, if any. */
  bigLogSessionId?: string;
  rng: Rng;
}

const ORGS = [
  { name: 'contoso.onmicrosoft.com', officeName: 'contoso', type: 'Office365' as const },
  { name: 'fabrikam.onmicrosoft.com', officeName: 'fabrikam', type: 'Hybrid' as const },
];
const REPOS = [
  { name: 'Local Repo', path: 'C:\\VeeamRepository', capacityGiB: 1005, retention: 'SnapshotBased' as const },
  { name: 'Object Storage Repo', path: 'D:\\Cache\\ObjectRepo', capacityGiB: 4096, retention: 'ItemLevel' as const },
  { name: 'Archive Repo', path: 'E:\\Archive', capacityGiB: 2048, retention: 'SnapshotBased' as const },
];
const JOBS = [
  { name: 'Exchange daily', org: 0, repo: 0, newest: 'Success' as SessionStatus, second: 'Stopped' as SessionStatus },
  { name: 'SharePoint and OneDrive', org: 0, repo: 1, newest: 'Running' as SessionStatus, second: 'Warning' as SessionStatus },
  { name: 'Teams backup', org: 0, repo: 2, newest: 'Warning' as SessionStatus, second: 'Failed' as SessionStatus },
  { name: 'Fabrikam entire org', org: 1, repo: 0, newest: 'Failed' as SessionStatus, second: 'Success' as SessionStatus },
  { name: 'Fabrikam mailboxes', org: 1, repo: 1, newest: 'Running' as SessionStatus, second: 'Stopped' as SessionStatus },
  { name: 'Legacy archive (disabled)', org: 1, repo: 2, newest: 'Success' as SessionStatus, second: 'Warning' as SessionStatus },
];
const OLDER: SessionStatus[] = ['Success', 'Success', 'Success', 'Success', 'Success', 'Success', 'Warning', 'Warning', 'Failed', 'Stopped'];

export function generateVb365Data(seed: number, opts: Vb365Options): Vb365Data {
  const rng = new Rng(seed);
  const installationId = rng.guid();
  const proxyId = rng.guid();
  const organizations: Organization[] = ORGS.map((o, i) => ({
    id: rng.guid(), name: o.name, officeName: o.officeName, type: o.type, region: 'Worldwide',
    isExchangeOnline: true, isSharePointOnline: true, isTeamsOnline: i === 0, isTeamsChatsOnline: false,
    firstBackuptime: EPOCH - (400 + i * 90) * DAY,
  }));
  const repositories: Repository[] = REPOS.map((r, i) => {
    const capacityBytes = r.capacityGiB * 1024 ** 3;
    return {
      id: rng.guid(), name: r.name, path: r.path, capacityBytes,
      freeSpaceBytes: Math.floor(capacityBytes * (0.2 + rng.float() * 0.6) / 4096) * 4096, proxyId,
      retentionType: r.retention, retentionPeriodType: i === 1 ? 'Daily' : 'Yearly',
      dailyRetentionPeriod: i === 1 ? 90 : undefined, yearlyRetentionPeriod: i === 1 ? undefined : i === 0 ? 'Years3' : 'Years7',
      isLongTerm: i === 2, isOutOfSync: i === 1, isIndexed: true,
    };
  });
  const jobs: Job[] = JOBS.map((j, i) => ({
    id: rng.guid(), name: j.name, organizationId: organizations[j.org].id, repositoryId: repositories[j.repo].id,
    backupType: i % 3 === 0 ? 'EntireOrganization' : 'SelectedItems', isEnabled: i !== 5,
    dailyTime: `${String(18 + i).padStart(2, '0')}:00:00`, scheduleType: i === 1 ? 'Periodically' : 'Daily', eTag: rng.int(1, 50),
  }));

  const perJob = opts.sessionsPerJob ?? 60;
  const sessions: JobSession[] = [];
  jobs.forEach((job, j) => {
    const count = perJob + (j === 0 ? opts.benchSessions ?? 0 : 0);
    const spacing = count > 1000 ? HOUR : DAY;
    for (let k = 0; k < count; k++) {
      const status: SessionStatus = k === 0 ? JOBS[j].newest : k === 1 ? JOBS[j].second : rng.pick(OLDER);
      const running = status === 'Running';
      const creationTime = running ? EPOCH - rng.int(5, 40) * MIN : EPOCH - k * spacing - (j + 1) * 7 * MIN - rng.int(0, 59) * 1000;
      const objects = status === 'Failed' ? rng.int(0, 200) : rng.int(150, 5000);
      const durationMs = Math.max(60_000, objects * rng.int(40, 200));
      sessions.push({
        id: rng.guid(), jobId: job.id, repositoryId: job.repositoryId, proxyId, creationTime,
        plannedEnd: running ? null : creationTime + durationMs, finalStatus: running ? 'Success' : status,
        objects, objectsPerSecond: running ? rng.int(3, 12) : 0,
        configType: k === count - 1 ? 'Full' : 'Incremental', retryCount: status === 'Failed' ? rng.int(0, 3) : 0,
        bytesPerObject: rng.int(20_000, 400_000), bottleneck: running ? 'Detecting' : rng.pick(['Source', 'Target', 'Source', 'NA'] as const),
        eTag: rng.int(1, 1000),
      });
    }
  });
  sessions.sort((a, b) => b.creationTime - a.creationTime);
  // Vb365Options.benchLogItems: the newest finished session of the first job gets that many log records.
  const big = opts.benchLogItems ? sessions.find((s) => s.jobId === jobs[0].id && s.plannedEnd !== null) : undefined;
  if (big) big.logItems = opts.benchLogItems;
  return { installationId, organizations, repositories, jobs, sessions, sessionById: new Map(sessions.map((s) => [s.id, s])), bigLogSessionId: big?.id, rng };
}

/** A session's state at time `now` (sessions advance with the clock; nothing runs in the background). */
export interface SessionState { status: SessionStatus; endTime: number | null; progress: number; statistics: Statistics }

export function sessionState(s: JobSession, now: number): SessionState {
  let status: SessionStatus;
  let endTime: number | null;
  let progress: number;
  const elapsedS = Math.max(0, (Math.min(now, s.stoppedAt ?? now) - s.creationTime) / 1000);
  if (s.stoppedAt !== undefined && (s.plannedEnd === null || s.stoppedAt < s.plannedEnd)) {
    status = 'Stopped';
    endTime = s.stoppedAt;
    progress = s.plannedEnd === null ? Math.floor(s.objects + elapsedS * s.objectsPerSecond)
      : Math.floor(s.objects * Math.min(1, (s.stoppedAt - s.creationTime) / (s.plannedEnd - s.creationTime)));
  } else if (s.plannedEnd === null) {
    status = 'Running';
    endTime = null;
    progress = Math.floor(s.objects + elapsedS * s.objectsPerSecond);
  } else if (now < s.plannedEnd) {
    status = 'Running';
    endTime = null;
    progress = Math.floor(s.objects * (now - s.creationTime) / (s.plannedEnd - s.creationTime));
  } else {
    status = s.finalStatus;
    endTime = s.plannedEnd;
    progress = s.objects;
  }
  const durS = Math.max(1, ((endTime ?? now) - s.creationTime) / 1000);
  const bytes = progress * s.bytesPerObject;
  const rate = Math.floor(bytes / durS);
  return {
    status, endTime, progress,
    statistics: {
      processingRateBytesPS: rate, processingRateItemsPS: Math.floor(progress / durS),
      readRateBytesPS: Math.floor(rate * 3.2), writeRateBytesPS: Math.floor(rate * 1.4),
      transferredDataBytes: bytes, processedObjects: progress,
      bottleneck: status === 'Running' && progress < 50 ? 'Detecting' : s.bottleneck,
    },
  };
}
