// Per-revision JSON shapes of sessions, task sessions and log records (SessionModel, Backup/ReplicaTaskSessionModel,
// SessionLogRecordModel), following the 1.2-rev1 and 1.3-rev2 schemas. Quirks served on purpose are marked QUIRK.
import { hashString } from '../vb365/data';
import { VbrRng, type Job, type Session, type VbrData } from './data';
import type { LogView } from './logs';
import type { Rev } from './revisions';
import { sessionState, taskState, type Runs } from './runs';

export type Json = Record<string, unknown>;

export interface ViewCtx { rev: Rev; now: number; data: VbrData; runs: Runs; nulls: boolean }

export const ZERO_ID = '00000000-0000-0000-0000-000000000000';

/** nulls mode: these optional id / date-time / number properties become null (present even when normally omitted). */
export function nullify<T extends Json>(c: ViewCtx, o: T, keys: string[]): T {
  if (c.nulls) for (const k of keys) (o as Json)[k] = null;
  return o;
}

/** A stable pseudo-random GUID derived from a string (restore point ids and the like). */
export function guidFrom(s: string): string { return new VbrRng(hashString(s)).guid(); }

export const iso = (c: ViewCtx, ms: number): string => c.data.clock.iso(ms);

export function sessionType(c: ViewCtx, s: Session): string {
  if (s.kind === 'config') return 'ConfigurationBackup';
  if (s.kind === 'analyzer') return 'SecurityComplianceAnalyzer';
  if (s.kind === 'infra') return 'Infrastructure';
  switch (c.data.jobById.get(s.jobId)?.kind) {
    case 'vsphere-replica': return 'ReplicaJob';
    case 'file-backup-copy': return c.rev.v13 ? 'UnstructuredDataBackupCopy' : 'BackupJob';
    case 'windows-agent': case 'linux-agent': return 'AgentBackup';
    default: return 'BackupJob';
  }
}

function platformOf(job: Job | undefined): string | undefined {
  switch (job?.kind) {
    case 'vsphere-backup': case 'vsphere-replica': return 'VMware';
    case 'windows-agent': return 'WindowsPhysical';
    case 'linux-agent': return 'LinuxPhysical';
    case 'entra-tenant': return 'EntraID';
    case 'file-backup': case 'file-backup-copy': return 'UnstructuredData';
    default: return undefined;
  }
}

const hms = (ms: number): string => {
  const t = Math.max(0, Math.floor(ms / 1000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(t / 3600))}:${p(Math.floor(t / 60) % 60)}:${p(t % 60)}`;
};

/** SessionProgress for a session (or one task of it). */
export function progressView(c: ViewCtx, s: Session, progress: number, start: number, end: number | null, objects: number, state: string): Json {
  const processed = Math.floor(s.bytesPerObject * objects * progress / 100);
  const dur = (end ?? c.now) - start;
  const rate = dur > 0 && processed > 0 ? `${(processed / 1024 ** 2 / (dur / 1000)).toFixed(1)} MB/s` : 'N/A';
  const out: Json = {
    duration: hms(dur), processingRate: rate,
    bottleneck: state === 'Starting' || processed === 0 ? 'NotDefined' : ['Source', 'Proxy', 'Network', 'Target'][hashString(s.id) % 4],
    processedSize: processed, readSize: Math.floor(processed * 0.47), transferredSize: Math.floor(processed * 0.23),
  };
  if (c.rev.v13) out.progressPercent = progress;
  return nullify(c, out, ['processedSize', 'readSize', 'transferredSize', ...(c.rev.v13 ? ['progressPercent'] : [])]);
}

/**
 * SessionModel. 1.2 sends endTime/parentSessionId/resourceId/resourceReference as null when there is none (QUIRK, as
 * the 1.2 examples do: they are not nullable); 1.3 omits them. The 1.2 start response says sessionType "Job" and
 * result null (QUIRK, the 1.2 spec's own start example).
 */
export function sessionView(c: ViewCtx, s: Session, o: { startResponse?: boolean } = {}): Json {
  const st = sessionState(s, c.now);
  const job = c.data.jobById.get(s.jobId);
  const v13 = c.rev.v13;
  const quirk12 = o.startResponse && !v13;
  const out: Json = { id: s.id, name: s.name, jobId: s.jobId, sessionType: quirk12 ? 'Job' : sessionType(c, s), creationTime: iso(c, s.creationTime) };
  if (st.endTime !== null) out.endTime = iso(c, st.endTime);
  else if (!v13) out.endTime = null;
  out.state = st.state;
  out.progressPercent = st.progress;
  out.result = quirk12 ? null : { result: st.result, message: st.message, isCanceled: st.isCanceled };
  const backup = s.kind === 'job' && job && job.kind !== 'vsphere-replica' && job.repositoryId;
  if (backup) Object.assign(out, { resourceId: job.backupId, resourceReference: `/api/v1/backups/${job.backupId}` });
  else if (!v13) Object.assign(out, { resourceId: null, resourceReference: null });
  if (!v13) out.parentSessionId = null;
  out.usn = st.usn;
  const platform = platformOf(job);
  if (platform) Object.assign(out, { platformName: platform, platformId: ZERO_ID });
  if (v13) {
    out.initiatedBy = s.initiatedBy;
    if (s.kind === 'job') {
      out.algorithm = s.algorithm;
      out.progress = progressView(c, s, st.progress, s.creationTime, st.endTime, s.objects.length, st.state);
    }
    if (s.originalSessionId) out.originalSessionId = s.originalSessionId;
    if (s.retryNumber > 0) out.retryInfo = nullify(c, { isRecheckRetry: false, retryNumber: s.retryNumber }, ['retryNumber']);
  }
  return nullify(c, out, ['endTime', 'progressPercent', 'resourceId', 'parentSessionId', 'platformId', ...(v13 ? ['relatedSessionId', 'originalSessionId'] : [])]);
}

/** Backup/ReplicaTaskSessionModel. Task times have no UTC offset (QUIRK, as the spec's examples): server-local time. */
export function taskView(c: ViewCtx, s: Session, i: number): Json {
  const t = taskState(s, i, c.now);
  const job = c.data.jobById.get(s.jobId);
  const replica = job?.kind === 'vsphere-replica';
  const local = (ms: number): string => c.data.clock.iso(ms, { offset: false, fraction: 7 });
  const id = s.taskIds[i];
  const out: Json = { id, type: replica ? 'Replica' : 'Backup', sessionId: s.id, sessionType: sessionType(c, s), creationTime: local(t.start) };
  if (t.endTime !== null) out.endTime = local(t.endTime);
  out.name = s.objects[i];
  const point = t.state === 'Stopped' && t.result !== 'Failed' ? guidFrom(`point:${id}`) : undefined;
  if (replica) {
    if (point) Object.assign(out, { replicaPointId: point, replicaPointReference: `/api/v1/replicas/${job?.backupId}/replicaPoints/${point}` });
  } else {
    if (point) Object.assign(out, { restorePointId: point, restorePointReference: `/api/v1/restorePoints/${point}` });
  }
  out.algorithm = s.algorithm;
  if (!replica && job?.repositoryId) out.repositoryId = job.repositoryId;
  out.usn = s.usn0 + i + (t.state === 'Stopped' ? 500 : t.progress);
  out.state = t.state;
  out.result = { result: t.result, message: t.message, isCanceled: t.isCanceled };
  out.progress = progressView(c, s, t.progress, t.start, t.endTime, 1, t.state);
  if (c.rev.v13 && !replica) Object.assign(out, { platformType: platformOf(job) ?? 'VMware', platformId: ZERO_ID });
  return nullify(c, out, ['endTime', replica ? 'replicaPointId' : 'restorePointId', ...(replica ? [] : ['repositoryId']), ...(c.rev.v13 && !replica ? ['platformId'] : [])]);
}

/** The task sessions a session has at `now` (they appear when their object starts processing). */
export function tasksOf(c: ViewCtx, s: Session): number[] {
  return s.taskIds.map((_, i) => i).filter((i) => taskState(s, i, c.now).visible);
}

/** SessionLogRecordModel; additionalInfo is 1.3 only. */
export function logRecordView(c: ViewCtx, r: LogView): Json {
  const out: Json = {
    id: r.id, status: r.status, startTime: c.data.clock.iso(r.startTime, { fraction: 7 }), updateTime: c.data.clock.iso(r.updateTime, { fraction: 7 }),
    title: r.title, description: r.description,
  };
  if (c.rev.v13) out.additionalInfo = r.info.map(([field, data]) => ({ field, data }));
  return nullify(c, out, ['id', 'startTime', 'updateTime']);
}
