// The collection endpoints' filters and sort columns (names and enums as the 1.2-rev1 / 1.3-rev2 specs declare them).
import type { MalwareEvent, Proxy, Repo, Server, Session } from './data';
import { JOB_STATUS_12, JOB_STATUS_13, JOB_TYPES_12, JOB_TYPES_13, jobStatus, jobType, lowerFirst, WORKLOADS_13, workload } from './jobs';
import type { Job } from './data';
import { anyOf, globMatch, type Filter, type FilterValue, type ListDef } from './query';
import type { Rev } from './revisions';
import { sessionState, type SessionState, type TaskState } from './runs';
import { sessionType, type ViewCtx } from './views';

export const RESULTS = ['None', 'Success', 'Warning', 'Failed'];
const STATES_12 = ['Stopped', 'Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'WaitingTape', 'Idle', 'Postprocessing', 'WaitingRepository', 'WaitingSlot'];
const statesOf = (rev: Rev): string[] => (rev.v13 ? [...STATES_12, 'ActionRequired'] : STATES_12);
export const LOG_STATUSES = ['None', 'Succeeded', 'Warning', 'Failed'];

const str = (v: FilterValue): string => String(v);
const num = (v: FilterValue): number => Number(v);
const glob = <T>(get: (x: T) => string): Filter<T> => ({ type: { kind: 'glob' }, match: (x, v) => globMatch(str(v), get(x)) });
const uuid = <T>(get: (x: T) => string | undefined): Filter<T> => ({ type: { kind: 'uuid' }, match: (x, v) => get(x)?.toLowerCase() === str(v) });
const after = <T>(get: (x: T) => number | null): Filter<T> => ({ type: { kind: 'date' }, match: (x, v) => { const t = get(x); return t !== null && t >= num(v); } });
const before = <T>(get: (x: T) => number | null): Filter<T> => ({ type: { kind: 'date' }, match: (x, v) => { const t = get(x); return t !== null && t <= num(v); } });
const bool = <T>(get: (x: T) => boolean, v13?: boolean): Filter<T> => ({ type: { kind: 'bool' }, match: (x, v) => get(x) === v, v13 });
const none = <T>(type: Filter<T>['type'], v13?: boolean): Filter<T> => ({ type, match: () => false, v13 });
const unused = <T>(type: Filter<T>['type'], v13?: boolean): Filter<T> => ({ type, v13 });

export interface SessionRow { s: Session; st: SessionState }

export function sessionList(c: ViewCtx): ListDef<SessionRow> {
  return {
    filters: {
      nameFilter: glob((r) => r.s.name),
      createdAfterFilter: after((r) => r.s.creationTime), createdBeforeFilter: before((r) => r.s.creationTime),
      endedAfterFilter: after((r) => r.st.endTime), endedBeforeFilter: before((r) => r.st.endTime),
      typeFilter: { type: { kind: 'ident', array13: true }, match: (r, v) => anyOf(v, sessionType(c, r.s)) },
      stateFilter: { type: { kind: 'enum', values: statesOf(c.rev) }, match: (r, v) => r.st.state === v },
      resultFilter: { type: { kind: 'enum', values: RESULTS, array13: true }, match: (r, v) => anyOf(v, r.st.result) },
      jobIdFilter: uuid((r) => r.s.jobId),
    },
    columns: {
      Name: (r) => r.s.name, SessionType: (r) => sessionType(c, r.s), CreationTime: (r) => r.s.creationTime, EndTime: (r) => r.st.endTime,
      State: (r) => r.st.state, Result: (r) => r.st.result, InitiatedBy: (r) => r.s.initiatedBy,
    },
    columns13: ['InitiatedBy'],
    defaultOrder: { column: 'CreationTime', asc: false },
  };
}

export interface TaskRow { s: Session; i: number; t: TaskState; type: string }

export function taskList(c: ViewCtx): ListDef<TaskRow> {
  return {
    filters: {
      nameFilter: glob((r) => r.s.objects[r.i]),
      typeFilter: { type: { kind: 'enum', values: ['Backup', 'Restore', 'Antivirus', 'Replica'] }, match: (r, v) => r.type === v },
      sessionTypeFilter: { type: { kind: 'ident' }, match: (r, v) => anyOf(v, sessionType(c, r.s)) },
      createdAfterFilter: after((r) => r.t.start), createdBeforeFilter: before((r) => r.t.start),
      endedAfterFilter: after((r) => r.t.endTime), endedBeforeFilter: before((r) => r.t.endTime),
      stateFilter: { type: { kind: 'enum', values: statesOf(c.rev) }, match: (r, v) => r.t.state === v },
      resultFilter: { type: { kind: 'enum', values: RESULTS }, match: (r, v) => r.t.result === v },
      // Only antivirus task sessions have scan fields, and the lab has none.
      scanTypeFilter: none({ kind: 'enum', values: ['Antivirus', 'Yara'] }),
      scanResultFilter: none({ kind: 'enum', values: ['None', 'Clean', 'Infected', 'Failed', 'Canceled', 'Inconclusive'] }),
      scanStateFilter: none({ kind: 'enum', values: ['NotStarted', 'InProgress', 'Finished'] }),
      sessionIdFilter: uuid((r) => r.s.id),
    },
    columns: {
      Name: (r) => r.s.objects[r.i], Type: (r) => r.type, SessionType: (r) => sessionType(c, r.s), CreationTime: (r) => r.t.start,
      EndTime: (r) => r.t.endTime, State: (r) => r.t.state, Result: (r) => r.t.result, ScanState: () => null, ScanResult: () => null,
    },
    defaultOrder: { column: 'CreationTime', asc: false },
  };
}

export function jobList(c: ViewCtx): ListDef<Job> {
  return {
    filters: { nameFilter: glob((j) => j.name), typeFilter: { type: { kind: 'enum', values: c.rev.v13 ? JOB_TYPES_13 : JOB_TYPES_12 }, match: (j, v) => jobType(c, j) === v } },
    columns: { Name: (j) => j.name, Type: (j) => jobType(c, j), Description: (j) => j.createdAt },
    defaultOrder: { column: 'Name', asc: true },
  };
}

export function jobStateList(c: ViewCtx): ListDef<Job> {
  const last = (j: Job): Session | undefined => c.runs.lastSession(j);
  const lastResult = (j: Job): string => { const s = last(j); return s ? sessionState(s, c.now).result : 'None'; };
  return {
    filters: {
      idFilter: uuid((j) => j.id), nameFilter: glob((j) => j.name),
      typeFilter: { type: { kind: 'enum', values: c.rev.v13 ? JOB_TYPES_13 : JOB_TYPES_12 }, match: (j, v) => jobType(c, j) === v },
      lastResultFilter: { type: { kind: 'enum', values: RESULTS }, match: (j, v) => lastResult(j) === v },
      statusFilter: { type: { kind: 'enum', values: c.rev.v13 ? JOB_STATUS_13 : JOB_STATUS_12 }, match: (j, v) => jobStatus(c, j) === v },
      workloadFilter: { type: { kind: 'enum', values: c.rev.v13 ? WORKLOADS_13 : WORKLOADS_13.map(lowerFirst) }, match: (j, v) => workload(c, j) === v },
      lastRunAfterFilter: after((j) => last(j)?.creationTime ?? null), lastRunBeforeFilter: before((j) => last(j)?.creationTime ?? null),
      isHighPriorityJobFilter: bool((j) => !!j.def.highPriority), repositoryIdFilter: uuid((j) => j.repositoryId),
      objectsCountFilter: { type: { kind: 'int' }, match: (j, v) => j.objects.length === v },
      afterJobIdFilter: none({ kind: 'uuid' }, true), afterJobNameFilter: none({ kind: 'string' }, true),
    },
    columns: {
      Name: (j) => j.name, Type: (j) => jobType(c, j), Status: (j) => jobStatus(c, j), LastRun: (j) => last(j)?.creationTime ?? null,
      LastResult: lastResult, NextRun: () => null, Description: (j) => j.createdAt, RepositoryId: (j) => j.repositoryId,
      ObjectsCount: (j) => j.objects.length, RepositoryName: (j) => c.data.repositories.find((r) => r.id === j.repositoryId)?.def.name, AfterJobName: () => null,
    },
    columns13: ['RepositoryName', 'AfterJobName'],
    defaultOrder: { column: 'Name', asc: true },
  };
}

const REPO_COLS = <T>(name: (x: T) => string, type: (x: T) => string, host: (x: T) => string | undefined, path: (x: T) => string, desc: (x: T) => string) =>
  ({ Name: name, Description: desc, Type: type, Host: host, Path: path });

export function repoList(c: ViewCtx, states: boolean): ListDef<Repo> {
  const host = (r: Repo): string | undefined => c.data.servers.find((s) => s.id === r.hostId)?.def.name;
  const base = REPO_COLS<Repo>((r) => r.def.name, (r) => r.def.type, host, (r) => r.def.path, (r) => r.def.description);
  const type: Filter<Repo> = { type: { kind: 'ident', array13: true }, match: (r, v) => anyOf(v, r.def.type) };
  if (!states) {
    return { filters: { nameFilter: glob((r) => r.def.name), typeFilter: type, hostIdFilter: uuid((r) => r.hostId), pathFilter: glob((r) => r.def.path),
      vmbApiFilter: unused({ kind: 'string' }), vmbApiPlatform: unused({ kind: 'uuid' }), excludeExtents: unused({ kind: 'bool' }, true) },
    columns: base, defaultOrder: { column: 'Name', asc: true } };
  }
  return {
    filters: {
      idFilter: uuid((r) => r.id), nameFilter: glob((r) => r.def.name), typeFilter: type,
      capacityFilter: unused({ kind: 'number' }), freeSpaceFilter: unused({ kind: 'number' }), usedSpaceFilter: unused({ kind: 'number' }),
      isOnlineFilter: bool((r) => r.def.online), isOutOfDateFilter: bool((r) => r.def.outOfDate, true),
      sobrIdFilter: none({ kind: 'uuid' }, true), sobrExtentTypeFilter: none({ kind: 'enum', values: ['Performance', 'Capacity', 'Archive'], array13: true }, true),
      sobrMembershipFilter: none({ kind: 'string' }, true), excludeExtents: unused({ kind: 'bool' }, true),
    },
    columns: { ...base, CapacityGB: (r) => r.def.capacityGB, FreeGB: (r) => r.def.freeGB, UsedSpaceGB: (r) => r.def.usedGB, Membership: () => null, Status: (r) => r.def.online },
    columns13: ['Membership', 'Status'],
    defaultOrder: { column: 'Name', asc: true },
  };
}

export function serverList(c: ViewCtx): ListDef<Server> {
  const types = ['WindowsHost', 'LinuxHost', 'ViHost', 'CloudDirectorHost', ...(c.rev.v13 ? ['HvServer', 'HvCluster', 'SCVMM', 'SmbV3Cluster', 'SmbV3StandaloneHost', 'NutanixCluster', 'PrismCentral', 'ProxmoxNode', 'ProxmoxCluster'] : [])];
  return {
    filters: {
      nameFilter: glob((s) => s.def.name), typeFilter: { type: { kind: 'enum', values: types, array13: true }, match: (s, v) => anyOf(v, s.def.type) },
      viTypeFilter: { type: { kind: 'enum', values: ['ESX', 'ESXi', 'VC'] }, match: (s, v) => s.def.type === 'ViHost' && v === 'VC' },
      serverStateFilter: { type: { kind: 'enum', values: ['Available', 'Unavailable', 'Any'] }, match: (s, v) => v === 'Any' || (v === 'Available') === s.def.available, v13: true },
      updatesStateFilter: unused({ kind: 'ident', array13: true }, true), includeNestedHosts: unused({ kind: 'bool' }, true), skipDedupAppliances: unused({ kind: 'bool' }, true),
    },
    columns: { Name: (s) => s.def.name, Type: (s) => s.def.type, Description: (s) => s.def.description, Status: (s) => s.def.available },
    columns13: ['Status'], defaultOrder: { column: 'Name', asc: true },
  };
}

export function proxyList(c: ViewCtx, states: boolean): ListDef<Proxy> {
  const types = c.rev.v13 ? ['ViProxy', 'HvProxy', 'GeneralPurposeProxy', 'NutanixAHV', 'PVE'] : ['ViProxy'];
  const filters: Record<string, Filter<Proxy>> = {
    nameFilter: glob((p) => p.name), typeFilter: { type: { kind: 'enum', values: types, array13: true }, match: (_p, v) => anyOf(v, 'ViProxy') },
    hostIdFilter: uuid((p) => p.hostId),
  };
  if (states) Object.assign(filters, { isDisabledFilter: bool<Proxy>(() => false), isOnlineFilter: bool<Proxy>((p) => p.online), isOutOfDateFilter: bool<Proxy>(() => false) });
  return {
    filters, columns: { Name: (p) => p.name, Type: () => 'ViProxy', Description: (p) => p.description, HostName: (p) => p.hostName, Status: (p) => p.online },
    columns13: ['HostName', 'Status'], defaultOrder: { column: 'Name', asc: true },
  };
}

export function malwareList(c: ViewCtx): ListDef<MalwareEvent> {
  const e = (values: string[]): Filter<MalwareEvent>['type'] => ({ kind: 'enum', values, array13: true });
  return {
    filters: {
      typeFilter: { type: e(['Unknown', 'DeletedUsefulFiles', 'RansomwareNotes', 'MalwareExtensions', 'EncryptedData', 'YaraScan', 'AntivirusScan', 'RenamedFiles', 'IndicatorOfCompromise']), match: (x, v) => anyOf(v, x.type) },
      detectedAfterTimeUtcFilter: after((x) => x.detectionTime), detectedBeforeTimeUtcFilter: before((x) => x.detectionTime),
      createdAfterTimeUtcFilter: { ...after<MalwareEvent>((x) => x.creationTime), v13: true }, createdBeforeTimeUtcFilter: { ...before<MalwareEvent>((x) => x.creationTime), v13: true },
      backupObjectIdFilter: uuid((x) => x.backupObjectId),
      stateFilter: { type: e(['Created', 'FalsePositive']), match: (x, v) => anyOf(v, x.state) },
      sourceFilter: { type: e(['Manual', 'InternalVeeamDetector', 'External', 'MarkAsCleanEvent']), match: (x, v) => anyOf(v, x.source) },
      severityFilter: { type: e(['Clean', 'Suspicious', 'Infected', ...(c.rev.v13 ? ['Informative'] : [])]), match: (x, v) => anyOf(v, x.severity) },
      createdByFilter: glob((x) => x.createdBy), engineFilter: glob((x) => x.engine), machineNameFilter: { ...glob<MalwareEvent>((x) => x.machine), v13: true },
    },
    columns: {
      Type: (x) => x.type, DetectionTimeUtc: (x) => x.detectionTime, BackupObjectId: (x) => x.backupObjectId, State: (x) => x.state, Source: (x) => x.source,
      Severity: (x) => x.severity, CreatedBy: (x) => x.createdBy, Engine: (x) => x.engine, CreationTimeUtc: (x) => x.creationTime, Details: (x) => x.details, MachineName: (x) => x.machine,
    },
    columns13: ['CreationTimeUtc', 'Details', 'MachineName'], defaultOrder: { column: 'DetectionTimeUtc', asc: false },
  };
}
