// EM entities (parsed XML or JSON) → the normalized tree model. Any UID, date or number may be missing
// or null: an entity without a UID is shown, keeps its payload for "Open as JSON" (ref.raw) and offers
// nothing that needs the UID (no actions, no children); one without an Href is not re-read.
import { ago, bytes, dateTime, duration, num, stamp } from '../format';
import type { ActionId, Detail, Entity, EntityStatus } from '../model';
import { Obj, links, text } from './xml';

export type EmType = 'BackupServer' | 'Job' | 'Repository' | 'BackupJobSession' | 'ReplicaJobSession' | 'BackupTaskSession' | 'ReplicaTaskSession';

const DOC_ACTIONS: ActionId[] = ['openJson', 'openXml', 'copyId'];

export type FolderKind = 'backupServers' | 'replicaSessions' | 'backupSessions' | 'jobs' | 'repositories';

const FOLDER_ICONS: Record<FolderKind, string> = {
  backupServers: 'server-process', replicaSessions: 'mirror', backupSessions: 'history', jobs: 'checklist', repositories: 'database',
};

export function folder(kind: FolderKind, name: string, extra: Record<string, string> = {}, filterable = false): Entity {
  const scope = extra.serverUid ? `:${extra.serverUid}` : '';
  return { key: `em:folder:${kind}${scope}`, type: 'folder', name, hasChildren: true, actions: filterable ? ['filter'] : [],
    role: kind, icon: FOLDER_ICONS[kind], ref: { folder: kind, ...extra } };
}

/** The entity's own URL with ?format=Entity (from the Href, else its Alternate link); '' when it has neither. */
function entityHref(o: Obj): string {
  const href = text(o.Href) ?? '';
  if (/[?&]format=Entity\b/i.test(href)) { return href; }
  const alt = links(o).find((l) => l.Rel === 'Alternate' && l.Href && /format=Entity/i.test(l.Href));
  if (alt?.Href) { return alt.Href; }
  return href ? `${href}${href.includes('?') ? '&' : '?'}format=Entity` : '';
}

interface Base { key: string; id?: string; name: string; ref: Record<string, string>; actions: ActionId[] }

/**
 * Key, id, name, ref and the document actions. Without a UID the key is only a stem (the client makes it
 * unique by position) and the payload is kept; `own` are the entity's actions that need its UID and Href.
 */
function base(o: Obj, type: EmType, own: ActionId[] = []): Base {
  const uid = text(o.UID);
  const href = entityHref(o);
  const name = text(o.Name) ?? uid ?? '(no name)';
  if (uid && href) { return { key: `em:${type}:${uid}`, id: uid, name, ref: { type, uid, href }, actions: [...DOC_ACTIONS, ...own] }; }
  const raw = JSON.stringify(o);
  if (uid) { return { key: `em:${type}:${uid}`, id: uid, name, ref: { type, uid, href: '', raw }, actions: ['openJson', 'copyId'] }; }
  return { key: `em:${type}:~${href || name}`, name, ref: { type, uid: '', href: '', raw }, actions: ['openJson'] };
}

/** ' · 2 h ago', or '' when the time is missing or unreadable. */
function agoPart(iso: string | undefined, now: number): string {
  const a = ago(iso, now);
  return a ? ` · ${a}` : '';
}

/** '820 GB free of 1 TB', '1 TB capacity', '820 GB free', or undefined when both are unknown. */
function space(free: number | undefined, cap: number | undefined): string | undefined {
  if (free !== undefined && cap !== undefined) { return `${bytes(free)} free of ${bytes(cap)}`; }
  if (cap !== undefined) { return `${bytes(cap)} capacity`; }
  return free !== undefined ? `${bytes(free)} free` : undefined;
}

function d(label: string, value: string | undefined): Detail | undefined {
  return value === undefined || value === '' ? undefined : { label, value };
}
function details(...rows: (Detail | undefined)[]): Detail[] { return rows.filter((r): r is Detail => r !== undefined); }

function resultStatus(result: string | undefined): EntityStatus {
  switch ((result ?? '').toLowerCase()) {
    case 'success': return 'success';
    case 'warning': return 'warning';
    case 'failed': return 'failed';
    default: return 'unknown';
  }
}

const RUNNING_STATES = new Set(['starting', 'working', 'resuming', 'pausing', 'stopping', 'inprogress']);

export function mapEntity(type: EmType, o: Obj, now = Date.now()): Entity {
  const b = base(o, type, type === 'Job' ? ['startJob'] : []);
  switch (type) {
    case 'BackupServer': {
      const version = text(o.Version), port = text(o.Port);
      return { ...b, type: 'backupServer', hasChildren: !!b.id,
        description: [version && `v${version}`, port && `port ${port}`].filter(Boolean).join(' · '),
        details: () => details(d('Version', version), d('Port', port), d('Description', text(o.Description)), d('UID', b.id)) };
    }
    case 'Repository': {
      const cap = num(text(o.Capacity)), free = num(text(o.FreeSpace));
      const kind = text(o.Kind);
      return { ...b, type: 'repository', hasChildren: false,
        description: space(free, cap),
        details: () => details(d('Capacity', cap !== undefined ? bytes(cap) : undefined), d('Free space', free !== undefined ? bytes(free) : undefined),
          d('Used', cap && free !== undefined ? `${Math.round(((cap - free) / cap) * 100)} %` : undefined), d('Kind', kind), d('UID', b.id)) };
    }
    case 'Job': {
      const jobType = text(o.JobType), platform = text(o.Platform);
      const scheduled = text(o.ScheduleEnabled);
      return { ...b, type: 'job', hasChildren: !!b.id,
        ref: { ...b.ref, sessionType: jobType === 'Replica' ? 'ReplicaJobSession' : 'BackupJobSession' },
        description: [jobType, platform, scheduled === 'false' ? 'schedule disabled' : undefined].filter(Boolean).join(' · '),
        details: () => details(d('Type', jobType), d('Platform', platform), d('Description', text(o.Description)),
          d('Schedule', scheduled === undefined ? undefined : scheduled === 'true' ? 'enabled' : 'disabled'),
          d('Next run', text(o.NextRun) ? dateTime(text(o.NextRun)) : undefined), d('UID', b.id)) };
    }
    case 'BackupJobSession': case 'ReplicaJobSession': {
      const state = text(o.State), result = text(o.Result);
      const start = text(o.CreationTimeUTC), end = text(o.EndTimeUTC);
      const progress = num(text(o.Progress));
      const running = RUNNING_STATES.has((state ?? '').toLowerCase());
      const status: EntityStatus = running ? 'running' : resultStatus(result);
      const description = running ? `Running${progress !== undefined ? ` ${progress}%` : ''}`
        : `${result && result !== 'None' ? result : state ?? 'Unknown'}${agoPart(end, now)}`;
      return { ...b, type: type === 'BackupJobSession' ? 'backupSession' : 'replicaSession', hasChildren: !!b.id,
        name: `${text(o.JobName) ?? b.name} · ${stamp(start)}`,
        ref: { ...b.ref, taskType: type === 'BackupJobSession' ? 'BackupTaskSession' : 'ReplicaTaskSession', jobUid: text(o.JobUid) ?? '' },
        status, description, progress: progress !== undefined ? { percent: progress } : undefined, startedAt: start, endedAt: end,
        details: () => details(d('Job', text(o.JobName)), d('Job type', text(o.JobType)), d('Start', start && dateTime(start)),
          d('End', end && dateTime(end)), d('Duration', start ? duration(start, end, now) : undefined), d('State', state), d('Result', result),
          d('Progress', progress !== undefined ? `${progress}%` : undefined), d('Retry', text(o.IsRetry) === 'true' ? 'yes' : undefined),
          d('Failure', text(o.FailureMessage)), d('UID', b.id)) };
    }
    default: {
      const state = text(o.State), result = text(o.Result);
      const start = text(o.CreationTimeUTC), end = text(o.EndTimeUTC);
      const st = (state ?? '').toLowerCase();
      const status: EntityStatus = st === 'pending' ? 'queued' : RUNNING_STATES.has(st) ? 'running' : resultStatus(result);
      const size = num(text(o.TotalSize));
      const vm = text(o.VmDisplayName) ?? b.name;
      return { ...b, type: 'taskSession', name: vm, hasChildren: false, status,
        description: status === 'queued' ? 'Pending' : status === 'running' ? 'Running'
          : `${result && result !== 'None' ? result : state ?? 'Unknown'}${agoPart(end, now)}`,
        startedAt: start, endedAt: end,
        details: () => details(d('VM', vm), d('Start', start && dateTime(start)), d('End', end && dateTime(end)),
          d('Duration', start && status !== 'queued' ? duration(start, end, now) : undefined), d('State', state), d('Result', result),
          d('Reason', text(o.Reason)), d('Total size', size !== undefined ? bytes(size) : undefined), d('UID', b.id)) };
    }
  }
}
