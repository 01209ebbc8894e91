// VB365 payloads → the normalized model. Tolerant: unknown fields are ignored, missing ones
// become '–', and both `NA` and `N/A` bottlenecks are accepted.
import { Detail, Entity, EntityStatus } from '../model';
import { ago, bytes, count, dateTime, duration, num, rate, stamp, str } from '../format';

type Obj = Record<string, unknown>;

export function jobSessionStatus(s: unknown): EntityStatus {
  switch (String(s ?? '').toLowerCase()) {
    case 'success': case 'succeeded': return 'success';
    case 'warning': return 'warning';
    case 'failed': return 'failed';
    case 'running': return 'running';
    case 'queued': return 'queued';
    case 'stopped': return 'stopped';
    case 'notconfigured': case 'disconnected': return 'unknown';
    default: return 'unknown';
  }
}

const DOC_ACTIONS = ['openJson', 'openXml', 'copyId'] as const;

export function organization(o: Obj): Entity {
  const id = String(o.id);
  const services = [o.isExchangeOnline && 'Exchange', o.isSharePointOnline && 'SharePoint', o.isTeamsOnline && 'Teams']
    .filter(Boolean).join(', ');
  return {
    key: `org:${id}`, type: 'organization', id, name: str(o.name) ?? id,
    status: o.isBackedup === false ? 'idle' : 'success',
    description: [str(o.type), o.lastBackuptime ? `backed up ${ago(str(o.lastBackuptime))}` : undefined].filter(Boolean).join(' · '),
    details: [
      { label: 'Type', value: str(o.type) ?? '–' },
      { label: 'Region', value: str(o.region) ?? '–' },
      { label: 'Services', value: services || '–' },
      { label: 'First backup', value: dateTime(str(o.firstBackuptime)) },
      { label: 'Last backup', value: dateTime(str(o.lastBackuptime)) },
    ],
    hasChildren: false, actions: [...DOC_ACTIONS], ref: { id },
  };
}

export function repository(r: Obj): Entity {
  const id = String(r.id);
  const cap = num(r.capacityBytes); const free = num(r.freeSpaceBytes);
  const details: Detail[] = [
    { label: 'Path', value: str(r.path) ?? '–' },
    { label: 'Free', value: `${bytes(free)} of ${bytes(cap)}${cap ? ` (${Math.round(((free ?? 0) / cap) * 100)} %)` : ''}` },
    { label: 'Retention', value: [str(r.retentionType), str(r.retentionPeriodType)].filter(Boolean).join(', ') || '–' },
    { label: 'Long-term', value: r.isLongTerm ? 'yes' : 'no' },
    { label: 'Out of sync', value: r.isOutOfSync ? 'yes — run Sync' : 'no' },
  ];
  if (str(r.description)) { details.push({ label: 'Description', value: String(r.description) }); }
  return {
    key: `repo:${id}`, type: 'repository', id, name: str(r.name) ?? id,
    status: r.isOutOfSync || r.isOutdated ? 'warning' : 'idle',
    description: `${bytes(free)} free of ${bytes(cap)}${r.isOutOfSync ? ' · out of sync' : ''}`,
    details, hasChildren: true, actions: ['sync', ...DOC_ACTIONS], ref: { id },
  };
}

export function job(j: Obj): Entity {
  const id = String(j.id);
  const last = str(j.lastStatus);
  const enabled = j.isEnabled !== false;
  const status: EntityStatus = !enabled ? 'disabled' : last ? jobSessionStatus(last) : 'idle';
  const schedule = (j.schedulePolicy as Obj | undefined)?.type;
  return {
    key: `job:${id}`, type: 'job', id, name: str(j.name) ?? id, status,
    description: [!enabled ? 'Disabled' : undefined, last, j.lastRun ? ago(str(j.lastRun)) : undefined].filter(Boolean).join(' · '),
    details: [
      { label: 'Last status', value: last ?? '–' },
      { label: 'Last run', value: dateTime(str(j.lastRun)) },
      { label: 'Next run', value: dateTime(str(j.nextRun)) },
      { label: 'Backup type', value: str(j.backupType) ?? '–' },
      { label: 'Schedule', value: str(schedule) ?? '–' },
      { label: 'Enabled', value: enabled ? 'yes' : 'no' },
    ],
    hasChildren: true, actions: ['startJob', ...DOC_ACTIONS], ref: { id, repositoryId: str(j.repositoryId) ?? '' },
  };
}

export function jobSession(s: Obj, now = Date.now()): Entity {
  const id = String(s.id);
  const status = jobSessionStatus(s.status);
  const st = (s.statistics ?? {}) as Obj;
  const objects = num(st.processedObjects) ?? num(s.progress);
  const created = str(s.creationTime); const ended = str(s.endTime);
  const running = status === 'running';
  const e: Entity = {
    key: `jsess:${id}`, type: 'jobSession', id, name: stamp(created), status,
    description: running
      ? `Running · ${count(objects ?? 0)} objects`
      : `${str(s.status) ?? 'Unknown'}${ended || created ? ` · ${ago(ended ?? created, now)}` : ''}`,
    progress: { objects },
    startedAt: created, endedAt: ended,
    hasChildren: false, actions: [...DOC_ACTIONS], ref: { id, jobId: str(s.jobId) ?? '' },
    details: () => detailRows(s, st, objects, created, ended, running, now),
  };
  return e;
}

function detailRows(s: Obj, st: Obj, objects: number | undefined, created: string | undefined, ended: string | undefined,
  running: boolean, now: number): Detail[] {
  {
    const bottleneck = str(st.bottleneck);
    return [
      { label: 'Status', value: str(s.status) ?? '–' },
      { label: 'Start', value: dateTime(created) },
      { label: 'End', value: running ? 'running' : dateTime(ended) },
      { label: 'Duration', value: duration(created, running ? undefined : ended, now) },
      { label: 'Type', value: [str(s.jobType), str(s.jobSessionConfigType)].filter(Boolean).join(', ') || '–' },
      { label: 'Processed objects', value: count(objects) },
      { label: 'Transferred', value: bytes(num(st.transferredDataBytes)) },
      { label: 'Read rate', value: rate(num(st.readRateBytesPS)) },
      { label: 'Write rate', value: rate(num(st.writeRateBytesPS)) },
      { label: 'Processing rate', value: `${rate(num(st.processingRateBytesPS))}, ${count(num(st.processingRateItemsPS))} items/s` },
      { label: 'Bottleneck', value: bottleneck === 'NA' || bottleneck === 'N/A' || !bottleneck ? 'n/a' : bottleneck },
      ...(num(s.retryCount) ? [{ label: 'Retries', value: String(s.retryCount) }] : []),
      ...(str(s.details) ? [{ label: 'Details', value: String(s.details) }] : []),
    ];
  }
}

export function syncSession(s: Obj, repositoryName?: string): Entity {
  const id = str(s.id) ?? `${String(s.repositoryId ?? '')}-sync`;
  const state = str(s.state) ?? 'None';
  const pct = num(s.progressPercent);
  const status: EntityStatus = state === 'Synchronizing' ? 'running' : state === 'Failed' ? 'failed' : 'success';
  const error = str(s.error);
  return {
    key: `sync:${id}`, type: 'syncSession', id,
    name: repositoryName ? `Sync of ${repositoryName}` : 'Synchronization',
    status,
    description: status === 'running' ? `Synchronizing ${pct ?? 0}%` : status === 'failed' ? `Failed${error ? `: ${error}` : ''}` : 'Completed',
    progress: { percent: pct },
    details: [
      { label: 'State', value: state },
      { label: 'Progress', value: pct === undefined ? '–' : `${pct} %` },
      ...(error ? [{ label: 'Error', value: error }] : []),
    ],
    hasChildren: false, actions: [...DOC_ACTIONS],
    ref: { id, repositoryId: str(s.repositoryId) ?? '', repositoryName: repositoryName ?? '' },
  };
}

const FOLDER_ICONS: Record<string, string> = { orgs: 'organization', repos: 'database', jobs: 'checklist' };

export function folder(key: string, name: string, description?: string): Entity {
  return { key: `folder:${key}`, type: 'folder', name, description, hasChildren: true, actions: [], role: key,
    icon: FOLDER_ICONS[key], ref: { folder: key } };
}
