// VB365 payloads → the normalized model. Tolerant: unknown fields are ignored, missing ones
// become '–', and both `NA` and `N/A` bottlenecks are accepted. Any id, date or number may be
// null (Veeam's OpenAPI allows it): an entity without an id is shown, keeps its payload for
// "Open as JSON" (ref.raw) and offers nothing that needs the id (no actions, no children).
import { ActionId, Detail, Entity, EntityStatus } from '../model';
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

const DOC_ACTIONS: ActionId[] = ['openJson', 'openXml', 'copyId'];

/**
 * Key, actions and ref of an entity: with an id as usual; without one the key is only a stem (the client
 * makes it unique by position), the only action is "Open as JSON" and the ref keeps the payload.
 */
function identity(prefix: string, id: string | undefined, o: Obj, name: string, actions: ActionId[], ref: Record<string, string> = {}):
  { key: string; id?: string; actions: ActionId[]; ref: Record<string, string> } {
  if (id) { return { key: `${prefix}:${id}`, id, actions: [...actions, ...DOC_ACTIONS], ref: { id, ...ref } }; }
  return { key: `${prefix}:~${name}`, actions: ['openJson'], ref: { ...ref, raw: JSON.stringify(o) } };
}

/** ' · 2 h ago', or '' when the time is missing or unreadable. */
function agoPart(iso: string | undefined, now = Date.now()): string {
  const a = ago(iso, now);
  return a ? ` · ${a}` : '';
}

/** '820 GB free of 1 TB', '1 TB capacity', '820 GB free', or 'size unknown'. */
function space(free: number | undefined, cap: number | undefined): string {
  if (free !== undefined && cap !== undefined) { return `${bytes(free)} free of ${bytes(cap)}`; }
  if (cap !== undefined) { return `${bytes(cap)} capacity`; }
  return free !== undefined ? `${bytes(free)} free` : 'size unknown';
}

export function organization(o: Obj): Entity {
  const services = [o.isExchangeOnline && 'Exchange', o.isSharePointOnline && 'SharePoint', o.isTeamsOnline && 'Teams']
    .filter(Boolean).join(', ');
  const name = str(o.name) ?? str(o.id) ?? '(no name)';
  const last = ago(str(o.lastBackuptime));
  return {
    ...identity('org', str(o.id), o, name, []), type: 'organization', name,
    status: o.isBackedup === false ? 'idle' : 'success',
    description: [str(o.type), last ? `backed up ${last}` : undefined].filter(Boolean).join(' · '),
    details: [
      { label: 'Type', value: str(o.type) ?? '–' },
      { label: 'Region', value: str(o.region) ?? '–' },
      { label: 'Services', value: services || '–' },
      { label: 'First backup', value: dateTime(str(o.firstBackuptime)) },
      { label: 'Last backup', value: dateTime(str(o.lastBackuptime)) },
    ],
    hasChildren: false,
  };
}

export function repository(r: Obj): Entity {
  const id = str(r.id);
  const cap = num(r.capacityBytes); const free = num(r.freeSpaceBytes);
  const name = str(r.name) ?? id ?? '(no name)';
  const pct = cap && free !== undefined ? ` (${Math.round((free / cap) * 100)} %)` : '';
  const details: Detail[] = [
    { label: 'Path', value: str(r.path) ?? '–' },
    { label: 'Free', value: free === undefined && cap === undefined ? '–' : `${bytes(free)} of ${bytes(cap)}${pct}` },
    { label: 'Retention', value: [str(r.retentionType), str(r.retentionPeriodType)].filter(Boolean).join(', ') || '–' },
    { label: 'Long-term', value: r.isLongTerm ? 'yes' : 'no' },
    { label: 'Out of sync', value: r.isOutOfSync ? 'yes — run Sync' : 'no' },
  ];
  if (str(r.description)) { details.push({ label: 'Description', value: String(r.description) }); }
  return {
    ...identity('repo', id, r, name, ['sync']), type: 'repository', name,
    status: r.isOutOfSync || r.isOutdated ? 'warning' : 'idle',
    description: `${space(free, cap)}${r.isOutOfSync ? ' · out of sync' : ''}`,
    details, hasChildren: !!id,
  };
}

export function job(j: Obj): Entity {
  const id = str(j.id);
  const last = str(j.lastStatus);
  const enabled = j.isEnabled !== false;
  const status: EntityStatus = !enabled ? 'disabled' : last ? jobSessionStatus(last) : 'idle';
  const schedule = (j.schedulePolicy as Obj | undefined)?.type;
  const name = str(j.name) ?? id ?? '(no name)';
  return {
    ...identity('job', id, j, name, ['startJob'], { repositoryId: str(j.repositoryId) ?? '' }), type: 'job', name, status,
    description: [!enabled ? 'Disabled' : undefined, last, ago(str(j.lastRun)) || undefined].filter(Boolean).join(' · '),
    details: [
      { label: 'Last status', value: last ?? '–' },
      { label: 'Last run', value: dateTime(str(j.lastRun)) },
      { label: 'Next run', value: dateTime(str(j.nextRun)) },
      { label: 'Backup type', value: str(j.backupType) ?? '–' },
      { label: 'Schedule', value: str(schedule) ?? '–' },
      { label: 'Enabled', value: enabled ? 'yes' : 'no' },
    ],
    hasChildren: !!id,
  };
}

export function jobSession(s: Obj, now = Date.now()): Entity {
  const status = jobSessionStatus(s.status);
  const st = (s.statistics ?? {}) as Obj;
  const objects = num(st.processedObjects) ?? num(s.progress);
  const created = str(s.creationTime); const ended = str(s.endTime);
  const running = status === 'running';
  const name = stamp(created);
  const e: Entity = {
    ...identity('jsess', str(s.id), s, name, [], { jobId: str(s.jobId) ?? '' }), type: 'jobSession', name, status,
    description: running
      ? `Running${objects !== undefined ? ` · ${count(objects)} objects` : ''}`
      : `${str(s.status) ?? 'Unknown'}${agoPart(ended ?? created, now)}`,
    progress: { objects },
    startedAt: created, endedAt: ended,
    hasChildren: false,
    details: () => detailRows(s, st, objects, created, ended, running, now),
  };
  return e;
}

function detailRows(s: Obj, st: Obj, objects: number | undefined, created: string | undefined, ended: string | undefined,
  running: boolean, now: number): Detail[] {
  const bottleneck = str(st.bottleneck);
  const bytesPS = num(st.processingRateBytesPS); const itemsPS = num(st.processingRateItemsPS);
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
    { label: 'Processing rate', value: bytesPS === undefined && itemsPS === undefined ? '–' : `${rate(bytesPS)}, ${count(itemsPS)} items/s` },
    { label: 'Bottleneck', value: bottleneck === 'NA' || bottleneck === 'N/A' || !bottleneck ? 'n/a' : bottleneck },
    ...(num(s.retryCount) ? [{ label: 'Retries', value: String(s.retryCount) }] : []),
    ...(str(s.details) ? [{ label: 'Details', value: String(s.details) }] : []),
  ];
}

/**
 * A repository sync session. v4 documents none of its id: such a session is keyed by its repository
 * (one sync runs per repository at a time) and re-read from the repository's list.
 */
export function syncSession(s: Obj, repositoryName?: string): Entity {
  const repositoryId = str(s.repositoryId);
  const state = str(s.state) ?? 'None';
  const pct = num(s.progressPercent);
  const status: EntityStatus = state === 'Synchronizing' ? 'running' : state === 'Failed' ? 'failed' : 'success';
  const error = str(s.error);
  const name = repositoryName ? `Sync of ${repositoryName}` : 'Synchronization';
  const who = identity('sync', str(s.id), s, repositoryId ? `repo:${repositoryId}` : name, [],
    { repositoryId: repositoryId ?? '', repositoryName: repositoryName ?? '' });
  return {
    ...who, type: 'syncSession', name, status,
    description: status === 'running' ? `Synchronizing${pct !== undefined ? ` ${pct}%` : ''}`
      : status === 'failed' ? `Failed${error ? `: ${error}` : ''}` : 'Completed',
    progress: { percent: pct },
    details: [
      { label: 'State', value: state },
      { label: 'Progress', value: pct === undefined ? '–' : `${pct} %` },
      ...(error ? [{ label: 'Error', value: error }] : []),
    ],
    hasChildren: false,
  };
}

const FOLDER_ICONS: Record<string, string> = { orgs: 'organization', repos: 'database', jobs: 'checklist' };

export function folder(key: string, name: string, description?: string): Entity {
  return { key: `folder:${key}`, type: 'folder', name, description, hasChildren: true, actions: [], role: key,
    icon: FOLDER_ICONS[key], ref: { folder: key } };
}
