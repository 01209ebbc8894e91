// Per-revision shapes of jobs: JobModel (polymorphic on `type`) and JobStateModel, plus schedules and enum spellings.
import type { JobKind } from './catalog';
import { EPOCH, type Job } from './data';
import { sessionState } from './runs';
import { guidFrom, iso, nullify, progressView, type Json, type ViewCtx } from './views';

const TYPE12: Partial<Record<JobKind, string>> = { 'vsphere-backup': 'Backup', 'vsphere-replica': 'VSphereReplica', 'file-backup-copy': 'FileBackupCopy', 'entra-tenant': 'EntraIDTenantBackup' };
const TYPE13: Record<JobKind, string> = {
  'vsphere-backup': 'VSphereBackup', 'vsphere-replica': 'VSphereReplica', 'file-backup-copy': 'FileBackupCopy', 'entra-tenant': 'EntraIDTenantBackup',
  'windows-agent': 'WindowsAgentBackup', 'linux-agent': 'LinuxAgentBackup', 'file-backup': 'FileBackup',
};
/** EJobType values per revision (what typeFilter accepts). */
export const JOB_TYPES_12 = ['Backup', 'VSphereReplica', 'CloudDirectorBackup', 'EntraIDTenantBackup', 'EntraIDAuditLogBackup', 'FileBackupCopy'];
export const JOB_TYPES_13 = ['Unknown', 'VSphereBackup', 'HyperVBackup', 'VSphereReplica', 'CloudDirectorBackup', 'EntraIDTenantBackup', 'EntraIDAuditLogBackup',
  'FileBackupCopy', 'LegacyBackupCopy', 'BackupCopy', 'WindowsAgentBackup', 'LinuxAgentBackup', 'FileBackup', 'ObjectStorageBackup', 'EntraIDTenantBackupCopy',
  'SureBackupContentScan', 'CloudBackupAzure', 'CloudBackupAWS', 'CloudBackupGoogle', 'WindowsAgentBackupWorkstationPolicy', 'LinuxAgentBackupWorkstationPolicy',
  'WindowsAgentBackupServerPolicy', 'LinuxAgentBackupServerPolicy', 'NutanixAHVBackupJob', 'ProxmoxBackupJob', 'IrisBackup', 'WindowsAgentBackupFailoverCluster'];
export const JOB_STATUS_12 = ['running', 'inactive', 'disabled'];
export const JOB_STATUS_13 = ['Running', 'Inactive', 'Disabled', 'Enabled', 'Stopping', 'Stopped', 'Starting'];
const WORKLOAD: Record<JobKind, string> = {
  'vsphere-backup': 'Vm', 'vsphere-replica': 'Vm', 'file-backup-copy': 'File', 'file-backup': 'File', 'entra-tenant': 'Application',
  'windows-agent': 'Workstation', 'linux-agent': 'Server',
};
export const WORKLOADS_13 = ['Application', 'CloudVm', 'File', 'Server', 'Workstation', 'Vm'];
export const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

export function jobType(c: ViewCtx, j: Job): string { return (c.rev.v13 ? TYPE13[j.kind] : TYPE12[j.kind]) ?? 'Unknown'; }
/** EJobWorkload: 1.2 lowercase-first (vm, cloudVm, …), 1.3 capitalised. */
export function workload(c: ViewCtx, j: Job): string { return c.rev.v13 ? WORKLOAD[j.kind] : lowerFirst(WORKLOAD[j.kind]); }
export const visibleJobs = (c: ViewCtx): Job[] => c.data.jobs.filter((j) => c.rev.v13 || !j.v13Only);

/** EJobStatus: 1.2 running|inactive|disabled; 1.3 Starting/Running/Stopping while a session runs, Disabled, Stopped after a run, Inactive never run. */
export function jobStatus(c: ViewCtx, j: Job): string {
  const live = c.runs.running(j, c.now);
  const st = live ? sessionState(live, c.now).state : undefined;
  if (!c.rev.v13) return live ? 'running' : j.disabled ? 'disabled' : 'inactive';
  if (st) return st === 'Working' ? 'Running' : st;
  if (j.disabled) return 'Disabled';
  return c.runs.lastSession(j) ? 'Stopped' : 'Inactive';
}

/** The next scheduled start after `now`, or null (disabled or not scheduled). */
export function nextRun(c: ViewCtx, j: Job): number | null {
  const s = j.def.schedule;
  if (!s || j.disabled) return null;
  const clock = c.data.clock;
  if (s.kind === 'daily') {
    const t = clock.localMidnight(c.now) + (s.hour * 60 + s.minute) * 60_000;
    return t > c.now ? t : t + 86_400_000;
  }
  const step = s.every * 3_600_000;
  const base = clock.localMidnight(EPOCH - 30 * 86_400_000) + s.minute * 60_000;
  return base + Math.ceil((c.now - base + 1) / step) * step;
}

function nextRunPolicy(c: ViewCtx, j: Job, next: number | null): string {
  if (j.disabled) return 'Disabled';
  if (next === null) return 'Not scheduled';
  return c.data.clock.text(next).replace(/:\d\d (AM|PM)$/, ' $1');
}

/**
 * JobStateModel. lastRun is null for a job that never ran and nextRun null when nothing is scheduled (QUIRK: real
 * servers send these nulls in every revision although the schema does not mark them nullable).
 */
export function jobStateView(c: ViewCtx, j: Job): Json {
  const last = c.runs.lastSession(j);
  const st = last ? sessionState(last, c.now) : undefined;
  const repo = c.data.repositories.find((r) => r.id === j.repositoryId);
  const next = nextRun(c, j);
  const out: Json = {
    id: j.id, name: j.name, type: jobType(c, j), description: description(c, j), status: jobStatus(c, j),
    lastRun: last ? iso(c, last.creationTime) : null, lastResult: st?.result ?? 'None', nextRun: next === null ? null : iso(c, next),
  };
  if (c.rev.v13) out.nextRunPolicy = nextRunPolicy(c, j, next);
  out.workload = workload(c, j);
  if (repo) Object.assign(out, { repositoryId: repo.id, repositoryName: repo.def.name });
  out.objectsCount = j.objects.length;
  if (last) out.sessionId = last.id;
  if (c.rev.v13) {
    Object.assign(out, { highPriority: !!j.def.highPriority, progressPercent: st?.progress ?? 0 });
    if (last && st) out.sessionProgress = progressView(c, last, st.progress, last.creationTime, st.endTime, last.objects.length, st.state);
    out.isStorageSnapshot = false;
  }
  return nullify(c, out, ['lastRun', 'nextRun', 'repositoryId', 'sessionId']);
}

function description(c: ViewCtx, j: Job): string {
  return `Created by LAB\\administrator at ${c.data.clock.text(j.createdAt).replace(/:\d\d (AM|PM)$/, ' $1')}.`;
}

function schedule(j: Job): Json {
  const s = j.def.schedule;
  const out: Json = { runAutomatically: !!s };
  if (s?.kind === 'daily') out.daily = { isEnabled: true, localTime: `${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`, dailyKind: 'Everyday' };
  if (s?.kind === 'hours') out.periodically = { isEnabled: true, periodicallyKind: 'Hours', frequency: s.every, startTimeWithinAnHour: s.minute };
  out.retry = { isEnabled: true, retryCount: 3, awaitMinutes: 10 };
  return out;
}

function vmObject(c: ViewCtx, name: string, type: string, sizeGB?: number): Json {
  const o: Json = { platform: c.rev.v13 ? 'VSphere' : 'VMware' };
  if (sizeGB !== undefined) o.size = `${sizeGB} GB`;
  return { ...o, hostName: 'vcenter01.lab.local', name, type, objectId: `${type === 'VirtualMachine' ? 'vm' : lowerFirst(type)}-${1000 + (name.length * 37) % 900}` };
}

/** JobModel for the job's kind (the discriminator `type` picks the child schema). */
export function jobView(c: ViewCtx, j: Job): Json {
  const head: Json = { id: j.id, name: j.name, type: jobType(c, j), isDisabled: j.disabled };
  const desc = description(c, j);
  switch (j.kind) {
    case 'vsphere-backup':
      return { ...head, description: desc, isHighPriority: !!j.def.highPriority,
        virtualMachines: { includes: j.objects.map((o, i) => vmObject(c, o, 'VirtualMachine', j.sizesGB[i])) },
        storage: { backupRepositoryId: j.repositoryId, backupProxies: { autoSelectEnabled: true }, retentionPolicy: { type: 'RestorePoints', quantity: 14 } },
        guestProcessing: { appAwareProcessing: { isEnabled: j.def.key === 'sql' || j.def.key === 'exch' }, guestFSIndexing: { isEnabled: false } },
        schedule: schedule(j) };
    case 'vsphere-replica':
      return { ...head, description: desc, ...(c.rev.v13 ? { isHighPriority: false } : {}),
        virtualMachines: { includes: j.objects.map((o, i) => vmObject(c, o, 'VirtualMachine', j.sizesGB[i])) },
        destination: { host: vmObject(c, 'esx-b01.lab.local', 'Host'), resourcePool: vmObject(c, 'DR pool', 'ResourcePool'),
          folder: vmObject(c, 'Replicas', 'Folder'), datastore: vmObject(c, 'datastore-b02', 'Datastore') },
        ...(c.rev.v13 ? { schedule: schedule(j) } : {}) };
    case 'file-backup-copy': {
      const primary = c.data.jobs.find((x) => x.kind === 'file-backup');
      return { ...head, primaryJobId: primary?.id ?? guidFrom('primary'), backupRepositoryId: j.repositoryId };
    }
    case 'entra-tenant':
      return { ...head, description: desc, storage: { tenantId: c.data.ids.tenant, retentionPolicy: { type: 'Days', quantity: 90 } },
        ...(c.rev.v13 ? { schedule: schedule(j) } : {}) };
    case 'windows-agent': case 'linux-agent': {
      const win = j.kind === 'windows-agent';
      return { ...head, description: desc, isHighPriority: false, agentType: win ? 'Workstation' : 'Server',
        computers: j.objects.map((o) => ({ platform: 'Agent', id: guidFrom(`computer:${o}`), name: o, type: win ? 'WindowsComputer' : 'LinuxComputer',
          protectionGroupId: c.data.ids.protectionGroup })),
        backupMode: 'EntireComputer', schedule: schedule(j) };
    }
    case 'file-backup':
      return { ...head, description: desc, isHighPriority: false, schedule: schedule(j) };
  }
}
