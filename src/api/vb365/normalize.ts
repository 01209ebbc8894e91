// VB365 payloads → the normalized model. Tolerant: unknown fields are ignored, missing ones
// become '–', and both `NA` and `N/A` bottlenecks are accepted. Any id, date or number may be
// null (Veeam's OpenAPI allows it): an entity without an id is shown, keeps its payload for
// "Open as JSON" (ref.raw) and offers nothing that needs the id (no actions, no children).
import { ActionId, Detail, DetailSource, Entity, EntityStatus, LogLine, detailsOf } from '../model';
import { ago, agoPartAt, bytes, count, dateTime, duration, isoMs, num, rate, stampAt, str } from '../format';

type Obj = Record<string, unknown>;

const STATUS: Record<string, EntityStatus> = {
  success: 'success', succeeded: 'success', warning: 'warning', failed: 'failed', running: 'running', queued: 'queued',
  stopped: 'stopped', notconfigured: 'unknown', disconnected: 'unknown',
};
/** The exact spellings servers send, looked up before lowercasing. */
const STATUS_EXACT: Record<string, EntityStatus> = {
  Success: 'success', Succeeded: 'success', Warning: 'warning', Failed: 'failed', Running: 'running', Queued: 'queued', Stopped: 'stopped',
};

export function jobSessionStatus(s: unknown): EntityStatus {
  if (typeof s === 'string' && Object.hasOwn(STATUS_EXACT, s)) { return STATUS_EXACT[s]; }
  const k = String(s ?? '').toLowerCase();
  return Object.hasOwn(STATUS, k) ? STATUS[k] : 'unknown';
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

/** The longest short form of a message shown in a description, ellipsis included. */
export const SHORT_MESSAGE_MAX = 60;

/**
 * A message's short form for a description: its first line, of that its first sentence (a '.', '!' or '?' followed
 * by a space), cut at a word boundary with an ellipsis when longer than SHORT_MESSAGE_MAX characters. The whole
 * text stays in Entity.message and the tooltip.
 */
export function shortMessage(text: string): string {
  // Thousands of sessions fail for the same few reasons: each text is shortened once.
  let short = shortened.get(text);
  if (short === undefined) {
    if (shortened.size >= 1000) { shortened.clear(); }
    shortened.set(text, (short = shorten(text)));
  }
  return short;
}
const shortened = new Map<string, string>();

function shorten(text: string): string {
  const line = text.trim().split(/\r?\n/)[0].trim();
  const sentence = /^(.+?[.!?])\s/.exec(line)?.[1] ?? line;
  const one = sentence.replace(/\s+/g, ' ').replace(/\.$/, '');
  if (one.length <= SHORT_MESSAGE_MAX) { return one; }
  const room = one.slice(0, SHORT_MESSAGE_MAX - 1);
  const cut = room.lastIndexOf(' ');
  return `${(cut >= SHORT_MESSAGE_MAX / 2 ? room.slice(0, cut) : room).replace(/[\s,;:·-]+$/, '')}…`;
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
    ...(cap !== undefined && free !== undefined ? { capacity: { totalBytes: cap, freeBytes: free } } : {}),
  };
}

/**
 * What a job offers in its state: Stop only while it runs, Start only while it is enabled and not running (a
 * disabled job cannot be started), Enable only when disabled, Disable only when enabled (neither when the server
 * does not say). No Retry: the VB365 REST API (v4–v8) has no retry action. The job payload carries only its last
 * status (`lastStatus`), no message: the reason of a failure is on the session (its `details`), never fetched per job.
 */
function jobActions(j: Obj, status: EntityStatus): ActionId[] {
  const running = status === 'running';
  const enabled = j.isEnabled === true ? true : j.isEnabled === false ? false : undefined;
  return [
    ...(running ? ['stopJob' as const] : enabled !== false ? ['startJob' as const] : []),
    ...(enabled === true ? ['disableJob' as const] : enabled === false ? ['enableJob' as const] : []),
  ];
}

export function job(j: Obj): Entity {
  const id = str(j.id);
  const last = str(j.lastStatus);
  const enabled = j.isEnabled !== false;
  const lastStatus = last ? jobSessionStatus(last) : 'idle';
  const status: EntityStatus = !enabled ? 'disabled' : lastStatus;
  const schedule = (j.schedulePolicy as Obj | undefined)?.type;
  const name = str(j.name) ?? id ?? '(no name)';
  return {
    ...identity('job', id, j, name, jobActions(j, lastStatus), { repositoryId: str(j.repositoryId) ?? '' }), type: 'job', name, status,
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

/** What a session is listed under or found through: its job, when the payload does not say (v4–v7 have no jobId). */
export interface SessionContext { jobId?: string; jobName?: string }

/** The job's id from a session's `_links.job.href` ('/v7/Jobs/{id}', absolute before v6). */
function jobIdFromLinks(s: Obj): string | undefined {
  const href = str(((s._links as Obj | undefined)?.job as Obj | undefined)?.href);
  const m = href ? /\/Jobs\/([^/?#]+)/i.exec(href) : null;
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** The server's message of a failed or warning result (whole text), or undefined. */
function resultMessage(status: EntityStatus, text: unknown): string | undefined {
  return status === 'failed' || status === 'warning' ? str(text)?.trim() || undefined : undefined;
}

// A session's actions, the same arrays for every session (never changed by their users).
const SESSION_ACTIONS: ActionId[][] = [[], ['copyMessage'], ['stopJob'], ['copyMessage', 'stopJob']]
  .map((extra) => Object.freeze(['openLog', ...extra, ...DOC_ACTIONS] as ActionId[]) as ActionId[]);
const NO_ID_ACTIONS = Object.freeze(['openJson']) as ActionId[];

/**
 * Sessions come by the ten thousand and are normalized right after JSON.parse, so this costs a fraction of
 * parsing them: each date is parsed once (isoMs) and formatted from the number, action lists are shared,
 * and the tooltip rows are made on first use from the few fields they show (not the whole payload).
 */
export function jobSession(s: Obj, now = Date.now(), ctx: SessionContext = {}): Entity {
  const statusText = str(s.status);
  const status = jobSessionStatus(s.status);
  const st = (s.statistics ?? {}) as Obj;
  const objects = num(st.processedObjects) ?? num(s.progress);
  const created = str(s.creationTime); const ended = str(s.endTime);
  const running = status === 'running';
  const start = isoMs(created); const end = isoMs(ended);
  const id = str(s.id);
  const own = str(s.jobId);
  // The job's id string, shared by its thousands of sessions (each payload brings its own copy).
  const jobId = own !== undefined && own === ctx.jobId ? ctx.jobId : own ?? jobIdFromLinks(s) ?? ctx.jobId;
  const message = resultMessage(status, s.details);
  const name = stampAt(start);
  const when = ended ? end : start;
  const agoPart = agoPartAt(when, now);
  let key: string; let actions: ActionId[]; let ref: Record<string, string>;
  if (id) {
    key = `jsess:${id}`; ref = { id, jobId: jobId ?? '' };
    actions = SESSION_ACTIONS[(message ? 1 : 0) + (running && jobId ? 2 : 0)];
  } else {
    key = `jsess:~${name}`; ref = { jobId: jobId ?? '', raw: JSON.stringify(s) };
    actions = NO_ID_ACTIONS;
  }
  return {
    key, id, actions, ref, type: 'jobSession', name, status,
    description: running
      ? `Running${objects !== undefined ? ` · ${count(objects)} objects` : ''}`
      : message ? `${statusText ?? 'Unknown'}${agoPart} · ${shortMessage(message)}` : (statusText ?? 'Unknown') + agoPart,
    progress: { objects },
    startedAt: created, endedAt: ended,
    hasChildren: false,
    jobName: ctx.jobName,
    metrics: {
      durationSec: !running && Number.isFinite(start) && Number.isFinite(end) && end >= start ? Math.round((end - start) / 1000) : undefined,
      transferredBytes: num(st.transferredDataBytes),
    },
    message,
    // The tooltip rows, on first use, from the entity and the few payload fields they show (never the whole
    // payload: the tree holds thousands of sessions). The statistics object is the server's own, already parsed.
    details: new SessionRows(st, statusText, s.jobType, s.jobSessionConfigType, s.retryCount, s.details, now),
  };
}

class SessionRows implements DetailSource {
  constructor(private readonly st: Obj, private readonly status: string | undefined, private readonly jobType: unknown,
    private readonly configType: unknown, private readonly retries: unknown, private readonly text: unknown, private readonly now: number) {}

  rows(e: Entity): Detail[] {
    const { st, now } = this;
    const created = e.startedAt; const ended = e.endedAt; const running = e.status === 'running'; const message = e.message;
    const objects = e.progress?.objects;
    const bottleneck = str(st.bottleneck);
    const bytesPS = num(st.processingRateBytesPS); const itemsPS = num(st.processingRateItemsPS);
    const retries = num(this.retries); const details = str(this.text);
    return [
      { label: 'Status', value: this.status ?? '–' },
      { label: 'Start', value: dateTime(created) },
      { label: 'End', value: running ? 'running' : dateTime(ended) },
      { label: 'Duration', value: duration(created, running ? undefined : ended, now) },
      { label: 'Type', value: [str(this.jobType), str(this.configType)].filter(Boolean).join(', ') || '–' },
      { label: 'Processed objects', value: count(objects) },
      { label: 'Transferred', value: bytes(num(st.transferredDataBytes)) },
      { label: 'Read rate', value: rate(num(st.readRateBytesPS)) },
      { label: 'Write rate', value: rate(num(st.writeRateBytesPS)) },
      { label: 'Processing rate', value: bytesPS === undefined && itemsPS === undefined ? '–' : `${rate(bytesPS)}, ${count(itemsPS)} items/s` },
      { label: 'Bottleneck', value: bottleneck === 'NA' || bottleneck === 'N/A' || !bottleneck ? 'n/a' : bottleneck },
      ...(retries ? [{ label: 'Retries', value: String(this.retries) }] : []),
      ...(message ? [{ label: 'Message', value: message }] : details ? [{ label: 'Details', value: details }] : []),
    ];
  }
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
  const error = str(s.error)?.trim() || undefined;
  const message = resultMessage(status, error);
  const name = repositoryName ? `Sync of ${repositoryName}` : 'Synchronization';
  const who = identity('sync', str(s.id), s, repositoryId ? `repo:${repositoryId}` : name, ['openLog', ...(message ? ['copyMessage' as const] : [])],
    { repositoryId: repositoryId ?? '', repositoryName: repositoryName ?? '' });
  return {
    ...who, type: 'syncSession', name, status,
    description: status === 'running' ? `Synchronizing${pct !== undefined ? ` ${pct}%` : ''}`
      : status === 'failed' ? `Failed${message ? ` · ${shortMessage(message)}` : ''}` : 'Completed',
    progress: { percent: pct },
    message,
    details: [
      { label: 'State', value: state },
      { label: 'Progress', value: pct === undefined ? '–' : `${pct} %` },
      ...(error ? [{ label: message ? 'Message' : 'Error', value: error }] : []),
    ],
    hasChildren: false,
  };
}

const LOG_STATUS: Record<string, LogLine['status']> = {
  success: 'success', warning: 'warning', error: 'failed', failed: 'failed', running: 'running', stop: 'info', info: 'info',
};

/**
 * LogItems → log lines, oldest first. v8 records carry `type` (Running|Warning|Error|Success|Stop) and `message`;
 * v2–v7 records a `title` such as "[Success] Job started at …". The first line is the title, further lines the
 * detail. A record reads `running` only while its session runs (one left "Running" by an ended session is info).
 * Records are kept once per id, in usn order when every record has one, else as served (ascending by default).
 */
export function logLines(items: Obj[], sessionRunning: boolean): LogLine[] {
  const seen = new Set<string>();
  const out: { line: LogLine; usn?: number }[] = [];
  items.forEach((o, i) => {
    let text = str(o.message) ?? str(o.title) ?? '';
    let type = str(o.type);
    const tagged = /^\s*\[([A-Za-z]+)\]\s*/.exec(text);
    if (tagged) { type ??= tagged[1]; text = text.slice(tagged[0].length); }
    let status = LOG_STATUS[(type ?? '').toLowerCase()] ?? 'info';
    if (status === 'running' && !sessionRunning) { status = 'info'; }
    const [first, ...rest] = text.split(/\r?\n/);
    const usn = num(o.usn);
    const id = str(o.id) ?? (usn !== undefined ? `usn:${usn}` : `#${i}`);
    if (seen.has(id)) { return; }
    seen.add(id);
    out.push({ usn, line: { id, time: str(o.creationTime), status, title: first.trim() || '(no text)', detail: rest.join('\n').trim() || undefined } });
  });
  if (out.every((x) => x.usn !== undefined)) { out.sort((a, b) => (a.usn as number) - (b.usn as number)); }
  return out.map((x) => x.line);
}

/** A sync session's own state, progress and error as log lines (VB365 keeps no log for synchronization). */
export function syncLogLines(e: Entity): { lines: LogLine[]; running: boolean } {
  const running = e.status === 'running';
  const state = detailsOf(e).find((d) => d.label === 'State')?.value ?? '–';
  const pct = e.progress?.percent;
  const lines: LogLine[] = [
    { id: 'state', status: running ? 'running' : e.status === 'failed' ? 'failed' : 'success', title: `${e.name}: ${state}` },
    { id: 'progress', status: 'info', title: `Progress: ${pct === undefined ? 'unknown' : `${pct} %`}` },
  ];
  if (e.message) {
    const [first, ...rest] = e.message.split(/\r?\n/);
    lines.push({ id: 'error', status: 'failed', title: first.trim(), detail: rest.join('\n').trim() || undefined });
  }
  return { lines, running };
}

const FOLDER_ICONS: Record<string, string> = { orgs: 'organization', repos: 'database', jobs: 'checklist' };

export function folder(key: string, name: string, description?: string): Entity {
  return { key: `folder:${key}`, type: 'folder', name, description, hasChildren: true, actions: [], role: key,
    icon: FOLDER_ICONS[key], ref: { folder: key } };
}
