// EM entities (parsed XML) → the normalized tree model.
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

/** The entity's own URL with ?format=Entity (from the Href, else its Alternate link). */
function entityHref(o: Obj): string {
  const href = text(o.Href) ?? '';
  if (/[?&]format=Entity\b/i.test(href)) { return href; }
  const alt = links(o).find((l) => l.Rel === 'Alternate' && l.Href && /format=Entity/i.test(l.Href));
  return alt?.Href ?? `${href}${href.includes('?') ? '&' : '?'}format=Entity`;
}

function base(o: Obj, type: EmType): { key: string; id: string; name: string; ref: Record<string, string> } {
  const uid = text(o.UID) ?? '';
  const href = entityHref(o);
  return { key: `em:${type}:${uid || href}`, id: uid, name: text(o.Name) ?? uid, ref: { type, uid, href } };
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
  const b = base(o, type);
  switch (type) {
    case 'BackupServer': {
      const version = text(o.Version), port = text(o.Port);
      return { ...b, type: 'backupServer', hasChildren: true, actions: DOC_ACTIONS,
        description: [version && `v${version}`, port && `port ${port}`].filter(Boolean).join(' · '),
        details: () => details(d('Version', version), d('Port', port), d('Description', text(o.Description)), d('UID', b.id)) };
    }
    case 'Repository': {
      const cap = num(text(o.Capacity)), free = num(text(o.FreeSpace));
      const kind = text(o.Kind);
      return { ...b, type: 'repository', hasChildren: false, actions: DOC_ACTIONS,
        description: cap !== undefined ? `${bytes(free)} free of ${bytes(cap)}` : undefined,
        details: () => details(d('Capacity', cap !== undefined ? bytes(cap) : undefined), d('Free space', free !== undefined ? bytes(free) : undefined),
          d('Used', cap && free !== undefined ? `${Math.round(((cap - free) / cap) * 100)} %` : undefined), d('Kind', kind), d('UID', b.id)) };
    }
    case 'Job': {
      const jobType = text(o.JobType), platform = text(o.Platform);
      const scheduled = text(o.ScheduleEnabled);
      return { ...b, type: 'job', hasChildren: true, actions: [...DOC_ACTIONS, 'startJob'],
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
        : `${result && result !== 'None' ? result : state ?? 'Unknown'}${end ? ` · ${ago(end, now)}` : ''}`;
      // Sessions come by the thousand: literals, not `{ ...b }` (V8's spread here cost most of the mapping time).
      b.ref.taskType = type === 'BackupJobSession' ? 'BackupTaskSession' : 'ReplicaTaskSession';
      b.ref.jobUid = text(o.JobUid) ?? '';
      return { key: b.key, id: b.id, ref: b.ref, type: type === 'BackupJobSession' ? 'backupSession' : 'replicaSession', hasChildren: true, actions: DOC_ACTIONS,
        name: `${text(o.JobName) ?? b.name} · ${stamp(start)}`,
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
      return { key: b.key, id: b.id, ref: b.ref, type: 'taskSession', name: vm, hasChildren: false, actions: DOC_ACTIONS, status,
        description: status === 'queued' ? 'Pending' : status === 'running' ? 'Running'
          : `${result && result !== 'None' ? result : state ?? 'Unknown'}${end ? ` · ${ago(end, now)}` : ''}`,
        startedAt: start, endedAt: end,
        details: () => details(d('VM', vm), d('Start', start && dateTime(start)), d('End', end && dateTime(end)),
          d('Duration', start && status !== 'queued' ? duration(start, end, now) : undefined), d('State', state), d('Result', result),
          d('Reason', text(o.Reason)), d('Total size', size !== undefined ? bytes(size) : undefined), d('UID', b.id)) };
    }
  }
}
