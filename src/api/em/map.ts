// EM entities (parsed XML or JSON) → the normalized tree model. Any UID, date or number may be missing
// or null: an entity without a UID is shown, keeps its payload for "Open as JSON" (ref.raw) and offers
// nothing that needs the UID (no actions, no children); one without an Href is not re-read.
//
// Why it failed: a failed or warning job session carries VBR's own FailureMessage, a task session its
// Reason; the entity keeps it whole in `message` (Copy Failure Message, the tooltip) and shows its first
// sentence in the description ('Failed · 2 h ago · Cannot connect to host esx02.lab.local'). EM's Job has
// no last result: the client looks up the job's newest session (after the page of jobs is shown, one query
// per session type on it, see client.ts) and hands it in as a LastRun; the job then shows that session's
// state, result and message.
// Actions follow the state: stop only while it runs, retry only after Failed/Warning, enable only
// when the schedule is disabled and disable only when enabled, Copy Failure Message only with a message.
import { agoPartAt, bytes, dateTime, duration, isoMs, num, stampAt } from '../format';
import type { ActionId, Detail, DetailSource, Entity, EntityStatus } from '../model';
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
 * A string the entity keeps, copied out of the page it was parsed from: the XML parser's values of 13 characters
 * or more are slices of the whole page text (~1 MB for 1,000 sessions), which one kept slice would keep alive.
 */
function own(v: string): string;
function own(v: string | undefined): string | undefined;
function own(v: string | undefined): string | undefined {
  return v === undefined || v.length < 13 ? v : (` ${v}`).slice(1);
}

/**
 * Key, id, name, ref and the document actions. Without a UID the key is only a stem (the client makes it
 * unique by position) and the payload is kept; `own` are the entity's actions that need its UID and Href.
 */
/** One frozen array per list of actions, shared by every entity that offers it (never changed by its users). */
const ACTION_LISTS = new Map<string, ActionId[]>();
function shared(actions: ActionId[]): ActionId[] {
  const k = actions.join();
  let a = ACTION_LISTS.get(k);
  if (!a) { a = Object.freeze(actions) as ActionId[]; ACTION_LISTS.set(k, a); }
  return a;
}

/** 'em:<type>:', one string per type: a key is then one string of two parts (a template made a chain of three). */
const KEY_PREFIX = new Map<string, string>();
const keyPrefix = (type: EmType): string => { let p = KEY_PREFIX.get(type); if (!p) { p = `em:${type}:`; KEY_PREFIX.set(type, p); } return p; };

function base(o: Obj, type: EmType, actions: ActionId[] = []): Base {
  const uid = own(text(o.UID));
  const href = own(entityHref(o));
  const name = own(text(o.Name)) ?? uid ?? '(no name)';
  if (uid && href) { return { key: keyPrefix(type) + uid, id: uid, name, ref: { type, uid, href }, actions: shared([...DOC_ACTIONS, ...actions]) }; }
  const raw = JSON.stringify(o);
  if (uid) { return { key: `em:${type}:${uid}`, id: uid, name, ref: { type, uid, href: '', raw }, actions: ['openJson', 'copyId'] }; }
  return { key: `em:${type}:~${href || name}`, name, ref: { type, uid: '', href: '', raw }, actions: ['openJson'] };
}

/** ' · 2 h ago' (one shared string per text), or '' when the time is missing or unreadable. */
function agoPart(iso: string | undefined, now: number): string {
  return agoPartAt(isoMs(iso), now);
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
const SHORT = 60;

/**
 * The first sentence (or line) of a server message without VBR's "Error:"/"Warning:" prefix and the
 * closing period, at most ~60 characters (cut at a word, with an ellipsis): what a description shows.
 */
export function shortMessage(message: string | undefined, max = SHORT): string | undefined {
  let t = (message ?? '').split(/\r?\n/).map((l) => l.trim()).find(Boolean) ?? '';
  for (let i = 0; i < 3 && /^(error|warning|failed|info)\s*:\s*/i.test(t); i++) { t = t.replace(/^(error|warning|failed|info)\s*:\s*/i, ''); }
  const end = /[.!?](?=\s|$)/.exec(t);
  if (end) { t = t.slice(0, end.index); }
  t = t.replace(/[\s.:;,]+$/, '');
  if (!t) { return undefined; }
  if (t.length <= max) { return t; }
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.:;,(-]+$/, '')}…`;
}

/** The message of a failed or warning result; none for success, while it runs, or when it is empty. */
function failure(result: string | undefined, message: string | undefined): string | undefined {
  const r = (result ?? '').toLowerCase();
  return (r === 'failed' || r === 'warning') && message?.trim() ? message.trim() : undefined;
}

/** 'Failed · 2 h ago · Cannot connect to host esx02.lab.local', or without the parts that are unknown. */
function resultText(label: string, end: string | undefined, now: number, message: string | undefined): string {
  const short = shortMessage(message);
  return short ? `${label}${agoPart(end, now)} · ${short}` : label + agoPart(end, now);
}

/** What a job shows of its newest session (looked up by the client; EM's Job has no last result). */
export interface LastRun {
  state?: string;
  result?: string;
  start?: string;
  end?: string;
  progress?: number;
  message?: string;
}

export function lastRunOf(session: Obj): LastRun {
  return { state: text(session.State), result: text(session.Result), start: text(session.CreationTimeUTC), end: text(session.EndTimeUTC),
    progress: num(text(session.Progress)), message: text(session.FailureMessage) };
}

function isRunning(state: string | undefined): boolean { return RUNNING_STATES.has((state ?? '').toLowerCase()); }
function isStopping(state: string | undefined): boolean { return (state ?? '').toLowerCase() === 'stopping'; }

/** 'Running 42%', 'Stopping', 'Starting'. */
function runningText(state: string | undefined, progress: number | undefined): string {
  const s = (state ?? '').toLowerCase();
  const word = s === 'stopping' ? 'Stopping' : s === 'starting' ? 'Starting' : s === 'pausing' ? 'Pausing' : s === 'resuming' ? 'Resuming' : 'Running';
  return `${word}${progress !== undefined && word !== 'Starting' ? ` ${progress}%` : ''}`;
}

/**
 * `last`: the job's newest session as the client found it (undefined: not looked up, null: none found).
 */
export function mapEntity(type: EmType, o: Obj, now = Date.now(), last?: LastRun | null): Entity {
  switch (type) {
    case 'BackupServer': {
      const b = base(o, type);
      const version = text(o.Version), port = text(o.Port);
      return { ...b, type: 'backupServer', hasChildren: !!b.id,
        description: [version && `v${version}`, port && `port ${port}`].filter(Boolean).join(' · '),
        details: () => details(d('Version', version), d('Port', port), d('Description', text(o.Description)), d('UID', b.id)) };
    }
    case 'Repository': {
      const b = base(o, type);
      const cap = num(text(o.Capacity)), free = num(text(o.FreeSpace));
      const kind = text(o.Kind);
      return { ...b, type: 'repository', hasChildren: false,
        description: space(free, cap),
        capacity: cap !== undefined && free !== undefined ? { totalBytes: cap, freeBytes: free } : undefined,
        details: () => details(d('Capacity', cap !== undefined ? bytes(cap) : undefined), d('Free space', free !== undefined ? bytes(free) : undefined),
          d('Used', cap && free !== undefined ? `${Math.round(((cap - free) / cap) * 100)} %` : undefined), d('Kind', kind), d('UID', b.id)) };
    }
    case 'Job': return mapJob(o, now, last);
    case 'BackupJobSession': case 'ReplicaJobSession': return jobSession(type, o, now);
    default: return taskSession(type, o, now);
  }
}

// Each kind of session in its own function: V8 keeps every variable that any closure of a function uses in one
// context shared by all of that function's closures, so one `details` closure reading `o` (as the servers' and
// repositories' do) would keep each session's whole parsed payload — and the page text it is sliced from — alive.

function jobSession(type: 'BackupJobSession' | 'ReplicaJobSession', o: Obj, now: number): Entity {
  const state = text(o.State), result = text(o.Result);
  const start = own(text(o.CreationTimeUTC)), end = own(text(o.EndTimeUTC));
  const progress = num(text(o.Progress));
  const running = isRunning(state);
  const status: EntityStatus = running ? 'running' : resultStatus(result);
  const failureText = own(text(o.FailureMessage));
  const message = running ? undefined : failure(result, failureText);
  const jobName = own(text(o.JobName));
  const actions: ActionId[] = ['openLog'];
  if (running && !isStopping(state) && text(o.JobUid)) { actions.push('stopJob'); }
  if (message) { actions.push('copyMessage'); }
  const b = base(o, type, actions); const uid = b.id;
  const description = running ? runningText(state, progress)
    : resultText(result && result !== 'None' ? result : state ?? 'Unknown', end, now, message);
  const startMs = isoMs(start), endMs = isoMs(end);
  const durationSec = !running && Number.isFinite(startMs) && Number.isFinite(endMs) ? Math.max(0, Math.round((endMs - startMs) / 1000)) : undefined;
  const jobLink = own(links(o).find((l) => l.Rel === 'Up' && l.Type === 'JobReference')?.Href);
  const jobType = text(o.JobType); const retry = text(o.IsRetry) === 'true';
  // A literal, not `{ ...b, … }` (which gave every session a hidden class of its own).
  return { key: b.key, id: b.id, name: `${jobName ?? b.name} · ${stampAt(startMs)}`,
    ref: { ...b.ref, taskType: type === 'BackupJobSession' ? 'BackupTaskSession' : 'ReplicaTaskSession', jobUid: own(text(o.JobUid)) ?? '',
      jobHref: jobLink ?? '' },
    actions: b.actions, type: type === 'BackupJobSession' ? 'backupSession' : 'replicaSession', hasChildren: !!b.id,
    status, description, progress: progress !== undefined ? { percent: progress } : undefined, startedAt: start, endedAt: end,
    jobName, message,
    // EM reports no transferred bytes for a job session (only TotalSize per task session): left undefined.
    metrics: durationSec !== undefined ? { durationSec } : undefined,
    // The rows from the fields they show, never the parsed payload (the tree keeps thousands of sessions).
    details: () => details(d('Job', jobName), d('Job type', jobType), d('Start', start && dateTime(start)),
      d('End', end && dateTime(end)), d('Duration', start ? duration(start, end, now) : undefined), d('State', state), d('Result', result),
      d('Progress', progress !== undefined ? `${progress}%` : undefined), d('Retry', retry ? 'yes' : undefined),
      d(status === 'warning' ? 'Warning' : 'Failure', message ?? failureText), d('UID', uid)) };
}

function taskSession(type: EmType, o: Obj, now: number): Entity {
  const state = text(o.State), result = text(o.Result);
  const start = own(text(o.CreationTimeUTC)), end = own(text(o.EndTimeUTC));
  const st = (state ?? '').toLowerCase();
  const status: EntityStatus = st === 'pending' ? 'queued' : RUNNING_STATES.has(st) ? 'running' : resultStatus(result);
  const reason = own(text(o.Reason));
  const message = status === 'queued' || status === 'running' ? undefined : failure(result, reason);
  const b = base(o, type, message ? ['openLog', 'copyMessage'] : ['openLog']);
  const size = num(text(o.TotalSize));
  const vm = own(text(o.VmDisplayName)) ?? b.name;
  // A literal, not `{ ...b, … }`: spread copies gave every task session a hidden class of its own (10,000
  // maps and descriptor arrays, ~380 bytes a session).
  return { key: b.key, id: b.id, name: vm, ref: b.ref, actions: b.actions, type: 'taskSession', hasChildren: false, status, message,
    description: status === 'queued' ? 'Pending' : status === 'running' ? 'Running'
      : resultText(result && result !== 'None' ? result : state ?? 'Unknown', end, now, message),
    startedAt: start, endedAt: end,
    // The rows on first use, from the entity and four fields (never the parsed payload: the tree keeps thousands).
    details: new TaskRows(state, result, reason, size, now) };
}

class TaskRows implements DetailSource {
  constructor(private readonly state: string | undefined, private readonly result: string | undefined,
    private readonly reason: string | undefined, private readonly size: number | undefined, private readonly now: number) {}

  rows(e: Entity): Detail[] {
    const start = e.startedAt; const end = e.endedAt; const { size } = this;
    return details(d('VM', e.name), d('Start', start && dateTime(start)), d('End', end && dateTime(end)),
      d('Duration', start && e.status !== 'queued' ? duration(start, end, this.now) : undefined), d('State', this.state), d('Result', this.result),
      d('Reason', this.reason), d('Total size', size !== undefined ? bytes(size) : undefined), d('UID', e.id));
  }
}

function mapJob(o: Obj, now: number, last: LastRun | null | undefined): Entity {
  const jobType = text(o.JobType), platform = text(o.Platform);
  const scheduled = text(o.ScheduleEnabled);
  const configured = text(o.ScheduleConfigured) !== 'false';
  const running = !!last && isRunning(last.state);
  const lastResult = last && !running && last.result && last.result !== 'None' ? last.result : undefined;
  const message = running ? undefined : failure(lastResult, last?.message);
  const own: ActionId[] = ['startJob'];
  if (running && !isStopping(last?.state)) { own.push('stopJob'); }
  if (lastResult && /^(failed|warning)$/i.test(lastResult)) { own.push('retryJob'); }
  if (configured && scheduled === 'false') { own.push('enableJob'); }
  if (configured && scheduled === 'true') { own.push('disableJob'); }
  if (message) { own.push('copyMessage'); }
  const b = base(o, 'Job', own);
  const kindText = [jobType, platform].filter(Boolean).join(' · ');
  const lastText = running ? runningText(last?.state, last?.progress)
    : lastResult ? resultText(lastResult, last?.end ?? last?.start, now, message) : undefined;
  // Failed/warning: the reason says more than the job type; otherwise the type stays in view.
  const description = [lastText, message ? undefined : kindText || undefined, scheduled === 'false' ? 'schedule disabled' : undefined]
    .filter(Boolean).join(' · ');
  const status: EntityStatus | undefined = running ? 'running' : lastResult ? resultStatus(lastResult)
    : scheduled === 'false' ? 'disabled' : undefined;
  return { ...b, type: 'job', hasChildren: !!b.id, status, message,
    ref: { ...b.ref, sessionType: jobType === 'Replica' ? 'ReplicaJobSession' : 'BackupJobSession', ...(last ? { last: JSON.stringify(last) } : {}) },
    description,
    details: () => details(d('Type', jobType), d('Platform', platform), d('Description', text(o.Description)),
      d('Schedule', scheduled === undefined ? undefined : scheduled === 'true' ? 'enabled' : 'disabled'),
      d('Next run', text(o.NextRun) ? dateTime(text(o.NextRun)) : undefined),
      d('Last run', last?.start ? dateTime(last.start) : undefined),
      d('Last result', running ? runningText(last?.state, last?.progress) : lastResult),
      d(lastResult?.toLowerCase() === 'warning' ? 'Warning' : 'Failure', message), d('UID', b.id)) };
}

/** The LastRun a job entity was mapped with (kept in its ref), if any. */
export function lastRunOfJob(job: Entity): LastRun | undefined {
  if (!job.ref.last) { return undefined; }
  try { return JSON.parse(job.ref.last) as LastRun; } catch { return undefined; }
}
