// VBR jobs and task sessions → the normalized model (job sessions: session.ts). Tolerant: enums in any case,
// `null` where the schema promises a date, unknown values shown as they came, no id → no actions.
import type { ActionId, Detail, Entity, EntityStatus } from '../model';
import { ago, bytes, count, dateTime, duration, num, stamp, str } from '../format';
import { canon, jobActivity, label, resultStatus, sessionStatus, stateText } from './enums';
import { serverTime, type Zone } from './time';

export type Obj = Record<string, unknown>;

/** What normalizing needs to know besides the payload. */
export interface NormCtx {
  /** Retry exists (1.3-rev0 and later). */
  canRetry: boolean;
  zone?: Zone;
  now: number;
}

export const DOC_ACTIONS: ActionId[] = ['openJson', 'openXml', 'copyId'];

export function obj(v: unknown): Obj { return v && typeof v === 'object' && !Array.isArray(v) ? v as Obj : {}; }

export function d(label: string, value: string | undefined | null): Detail | undefined {
  return value === undefined || value === null || value === '' ? undefined : { label, value };
}
export function rows(...r: (Detail | undefined)[]): Detail[] { return r.filter((x): x is Detail => x !== undefined); }

/**
 * The short form of a server message for a description: its first line, of that its first sentence
 * (a period, ! or ? followed by a space; "esx01.lab.local" and "1.2 GB" stay whole), cut to `max`
 * characters with an ellipsis. The whole text stays in `Entity.message` and the tooltip.
 */
export function short(message: string | undefined, max = 60): string | undefined {
  if (!message) { return undefined; }
  let line = message.split(/\r?\n/).map((l) => l.trim()).find((l) => l) ?? '';
  const sentence = /^(.{12,}?[.!?])\s+\S/.exec(line);
  if (sentence) { line = sentence[1]; }
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line || undefined;
}

/** A job's name from a session name: retries are named "Daily VM backup (Retry 1)". */
export function jobNameOf(name: string | undefined): string | undefined {
  if (!name) { return undefined; }
  return name.charCodeAt(name.length - 1) !== 41 /* ')' */ ? name : name.replace(/\s+\(Retry \d+\)$/i, '') || undefined;
}

/** A stable key part for entities that came without an id (shown, but nothing acts on them). */
export function noId(name: string | undefined): string { return `noid:${(name ?? '').toLowerCase()}`; }

/** An id fit for a URL, or undefined (null, empty and non-strings never reach a path). */
export function idOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : undefined;
}

/** SessionProgress (1.3 sessions, job states and task sessions): sizes, rate, bottleneck. */
export function progressRows(p: Obj): (Detail | undefined)[] {
  const bottleneck = str(p.bottleneck);
  return [
    d('Processed', num(p.processedSize) !== undefined ? bytes(num(p.processedSize)) : undefined),
    d('Read', num(p.readSize) !== undefined ? bytes(num(p.readSize)) : undefined),
    d('Transferred', num(p.transferredSize) !== undefined ? bytes(num(p.transferredSize)) : undefined),
    d('Processing rate', str(p.processingRate)),
    d('Bottleneck', bottleneck && !['notdefined', 'none'].includes(canon(bottleneck)) ? bottleneck : bottleneck ? 'none' : undefined),
  ];
}

function percentOf(...v: unknown[]): number | undefined {
  for (const x of v) { const n = num(x); if (n !== undefined) { return Math.max(0, Math.min(100, n)); } }
  return undefined;
}

export function runningText(what: string, pct: number | undefined, rate: string | undefined): string {
  return `${what}${pct !== undefined ? ` ${pct}%` : ''}${rate ? ` · ${rate}` : ''}`;
}

// ---- jobs ---------------------------------------------------------------------------------

/**
 * A JobStateModel; on 1.2 the running job's progress comes from its last session (`lastSession`).
 * `/jobs/states` names the last session (`sessionId`) and its result but not its message: `lastMessage`
 * is that session's message where the client already read the session (no request is made for it).
 */
export function job(j: Obj, c: NormCtx, lastSession?: Obj, lastMessage?: string): Entity {
  const id = idOf(j.id);
  const name = str(j.name) ?? id ?? '(unnamed job)';
  const activity = jobActivity(j.status);
  const sp = obj(j.sessionProgress);
  const running = activity === 'running' || activity === 'starting' || activity === 'stopping';
  const pct = running ? percentOf(sp.progressPercent, j.progressPercent, lastSession?.progressPercent) : undefined;
  const last = resultStatus(j.lastResult);
  const lastRun = str(j.lastRun), nextRun = str(j.nextRun), policy = str(j.nextRunPolicy);
  const status: EntityStatus = activity === 'disabled' ? 'disabled' : running ? 'running' : last ?? 'idle';
  const lastText = last ? `${String(j.lastResult)}${lastRun ? ` · ${ago(lastRun, c.now)}` : ''}` : lastRun ? `ran ${ago(lastRun, c.now)}` : 'Never run';
  const next = nextRun ? `next ${stamp(nextRun)}` : policy && !/^not scheduled$/i.test(policy) ? `next: ${policy}` : undefined;
  const message = !running && (last === 'failed' || last === 'warning') ? lastMessage : undefined;
  let description: string;
  if (activity === 'stopping') { description = runningText('Stopping', pct, undefined); }
  else if (activity === 'starting') { description = 'Starting'; }
  else if (running) { description = runningText('Running', pct, str(sp.processingRate)); }
  else {
    const odd = activity === 'unknown' && str(j.status) ? String(j.status) : undefined;   // an unknown status, as it came
    description = [activity === 'disabled' ? 'Disabled' : odd, lastText, short(message), activity === 'disabled' ? undefined : next].filter(Boolean).join(' · ');
  }
  const actions: ActionId[] = [];
  if (id) {
    if (activity === 'running' || activity === 'starting') { actions.push('stopJob'); }
    if (activity === 'idle' || activity === 'unknown') {
      actions.push('startJob');
      if (c.canRetry && (last === 'failed' || last === 'warning')) { actions.push('retryJob'); }
    }
    if (activity === 'disabled') { actions.push('enableJob'); }
    else if (!running) { actions.push('disableJob'); }
    actions.push(...DOC_ACTIONS);
    if (message) { actions.push('copyMessage'); }
  }
  const after = obj(j.runAfterJob);
  return {
    key: `vbr:job:${id ?? noId(name)}`, type: 'job', id, name, status, description,
    progress: pct !== undefined ? { percent: pct } : undefined,
    startedAt: running ? lastRun : undefined,
    message,
    hasChildren: !!id, actions,
    ref: { id: id ?? '', sessionId: idOf(j.sessionId) ?? '' },
    details: () => rows(
      d('Type', label(j.type)), d('Workload', label(j.workload)), d('Status', str(j.status)),
      d('Last result', str(j.lastResult)), d('Message', message), d('Last run', lastRun ? dateTime(lastRun) : 'never'),
      d('Next run', nextRun ? dateTime(nextRun) : policy ?? 'not scheduled'),
      d('Runs after', str(after.jobName)),
      d('Repository', str(j.repositoryName)), d('Target', str(j.targetName)),
      d('Objects', num(j.objectsCount) !== undefined ? count(num(j.objectsCount)) : undefined),
      d('Progress', pct !== undefined ? `${pct}%` : undefined),
      d('Duration', running ? str(sp.duration) : undefined),
      ...(running ? progressRows(sp) : []),
      d('High priority', j.highPriority === true ? 'yes' : undefined),
      d('Backup copy mode', str(j.backupCopyMode)),
      d('Description', str(j.description)),
    ),
  };
}

// ---- task sessions ------------------------------------------------------------------------

function scanStatus(t: Obj): EntityStatus {
  const state = canon(t.scanState);
  if (state === 'inprogress') { return 'running'; }
  if (state === 'notstarted') { return 'queued'; }
  switch (canon(t.scanResult)) {
    case 'clean': return 'success';
    case 'infected': case 'failed': return 'failed';
    case 'inconclusive': return 'warning';
    case 'canceled': return 'stopped';
    case 'none': case '': return state === 'finished' ? 'success' : 'unknown';
    default: return 'unknown';
  }
}

export function taskSession(t: Obj, c: NormCtx): Entity {
  const id = idOf(t.id);
  const r = obj(t.result);
  const p = obj(t.progress);
  const antivirus = canon(t.type) === 'antivirus';
  const status = antivirus ? scanStatus(t) : sessionStatus(t.state, r.result, r.isCanceled);
  // No UTC offset on these: they are the server's wall-clock time.
  const created = serverTime(t.creationTime, c.zone), ended = serverTime(t.endTime, c.zone);
  const pct = percentOf(p.progressPercent);
  const message = str(r.message);
  const reported = message && (status === 'failed' || status === 'warning') ? message : undefined;
  const name = str(t.name) ?? (id ? `${str(t.type) ?? 'Task'} ${id.slice(0, 8)}` : '(unnamed task)');
  const size = num(p.processedSize);
  let description: string;
  if (status === 'running') { description = runningText('Running', pct, str(p.processingRate)); }
  else if (status === 'queued') { description = antivirus ? 'Not started' : stateText(t.state); }
  else {
    const what = antivirus ? str(t.scanResult) ?? str(t.scanState) ?? 'Unknown' : str(r.result) && canon(r.result) !== 'none' ? String(r.result) : stateText(t.state);
    description = [what, created ? duration(created, ended, c.now) : undefined, size ? `${bytes(size)} processed` : undefined,
      short(reported)].filter(Boolean).join(' · ');
  }
  return {
    key: `vbr:task:${id ?? noId(`${name}:${str(t.creationTime)}`)}`, type: 'taskSession', id, name, status, description,
    progress: pct !== undefined ? { percent: pct } : undefined,
    startedAt: created, endedAt: ended,
    message: reported,
    hasChildren: false, actions: id ? ['openLog', ...DOC_ACTIONS, ...(reported ? ['copyMessage' as const] : [])] : [],
    ref: { id: id ?? '', sessionId: idOf(t.sessionId) ?? '' },
    details: () => rows(
      d('Type', str(t.type)), d('Session type', str(t.sessionType)),
      d('State', str(t.state) ?? str(t.scanState)), d('Result', str(r.result) ?? str(t.scanResult)), d('Message', message),
      d('Start', created ? dateTime(created) : undefined), d('End', ended ? dateTime(ended) : status === 'running' ? 'running' : undefined),
      d('Duration', str(p.duration) ?? (created ? duration(created, ended, c.now) : undefined)),
      d('Progress', pct !== undefined ? `${pct}%` : undefined),
      ...progressRows(p),
      d('Algorithm', str(t.algorithm)), d('Scan type', str(t.scanType)), d('Antivirus', str(t.antivirusName)),
      d('Platform', str(t.platformType)),
    ),
  };
}
