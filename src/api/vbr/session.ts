// VBR job sessions (SessionModel) → the normalized model. They come by the ten thousand (a job's history,
// the overview's window), so what every row shows is computed once from one reading of each field, the
// common actions and percentages are shared constants, and the tooltip's rows are made on first use from
// the few fields they show (not the payload: the tree keeps its thousands of rows).
import type { ActionId, Detail, Entity } from '../model';
import { agoAt, dateTime, duration, isoMs, num, stampAt, str } from '../format';
import { canon, resultStatus, sessionStatus, stateText } from './enums';
import { DOC_ACTIONS, NormCtx, Obj, d, idOf, jobNameOf, noId, progressRows, rows, runningText, short } from './normalize';

const EMPTY: Obj = Object.freeze({}) as Obj;
function rec(v: unknown): Obj { return v && typeof v === 'object' && !Array.isArray(v) ? v as Obj : EMPTY; }

/** The actions of a session, one frozen list per state (nothing edits them in place; startedSession copies). */
const frozen = (...a: ActionId[]): ActionId[] => Object.freeze(a) as ActionId[];
const ACTIONS = frozen('openLog', ...DOC_ACTIONS), ACTIONS_MSG = frozen('openLog', ...DOC_ACTIONS, 'copyMessage');
const STOP = frozen('stopJob', 'openLog', ...DOC_ACTIONS), STOP_MSG = frozen('stopJob', 'openLog', ...DOC_ACTIONS, 'copyMessage');
const NONE = frozen();

/** `{ percent }`, one frozen object per whole percentage. */
const PERCENT = Array.from({ length: 101 }, (_, i) => Object.freeze({ percent: i }) as { percent: number });
function progressOf(pct: number | undefined): { percent: number } | undefined {
  if (pct === undefined) { return undefined; }
  return Number.isInteger(pct) ? PERCENT[pct] : { percent: pct };
}

/** percentOf(a, b): the first that is a number, clamped to 0–100. */
function percent2(a: unknown, b: unknown): number | undefined {
  const n = num(a) ?? num(b);
  return n === undefined ? undefined : Math.max(0, Math.min(100, n));
}

/** The job's name and id as in the session before when equal (a job's sessions come in a row): one copy for all. */
let lastName: string | undefined, lastJobId: string | undefined;
function sameName(v: string | undefined): string | undefined { return v !== undefined && v === lastName ? lastName : (lastName = v); }
function sameJobId(v: string | undefined): string | undefined { return v !== undefined && v === lastJobId ? lastJobId : (lastJobId = v); }

/** What the tooltips of a job's sessions have in common: one object while consecutive sessions agree. */
interface Common { job?: string; type: unknown; initiatedBy: unknown; platform: unknown; running: boolean; canceled: boolean; c: NormCtx }
let common: Common | undefined;
function commonOf(job: string | undefined, type: unknown, initiatedBy: unknown, platform: unknown, running: boolean, canceled: boolean, c: NormCtx): Common {
  const l = common;
  // Values equal by === show the same text (the rows show String(value)).
  if (l !== undefined && l.job === job && l.type === type && l.initiatedBy === initiatedBy && l.platform === platform && l.running === running
    && l.canceled === canceled && l.c === c) { return l; }
  return (common = { job, type, initiatedBy, platform, running, canceled, c });
}

/** One copy of each enum value (state, result, algorithm, bottleneck vary from one session to the next). */
const SEEN = new Map<string, string>();
function enumValue(v: unknown): unknown {
  if (typeof v !== 'string') { return v; }
  const seen = SEEN.get(v);
  if (seen !== undefined) { return seen; }
  if (SEEN.size >= 500) { SEEN.clear(); }
  SEEN.set(v, v);
  return v;
}

/** "Success · 3 d ago", shared by the rows in a row that say the same (per result: the age last seen). */
const DESCRIBED = new Map<string, { age: string; text: string }>();
function described(what: string, age: string): string {
  let last = DESCRIBED.get(what);
  if (last === undefined) {
    if (DESCRIBED.size >= 100) { DESCRIBED.clear(); }
    DESCRIBED.set(what, last = { age, text: dots(what, age, undefined) });
  } else if (last.age !== age) {
    last.age = age;
    last.text = dots(what, age, undefined);
  }
  return last.text;
}

/** [a, b, c].filter(Boolean).join(' · '), without the arrays. */
function dots(a: string, b: string | undefined, c: string | undefined): string {
  let out = a;
  if (b) { out = out ? `${out} · ${b}` : b; }
  if (c) { out = out ? `${out} · ${c}` : c; }
  return out;
}

export function session(s: Obj, c: NormCtx): Entity {
  const id = idOf(s.id);
  const r = rec(s.result);
  const p = rec(s.progress);
  const state = s.state, result = r.result;
  const status = sessionStatus(state, result, r.isCanceled);
  const created = str(s.creationTime), ended = str(s.endTime);
  const pct = percent2(s.progressPercent, p.progressPercent);
  const message = str(r.message);
  const reported = message && (status === 'failed' || status === 'warning' || status === 'stopped') ? message : undefined;
  const retry = num(rec(s.retryInfo).retryNumber);
  const began = isoMs(created), finished = isoMs(ended);
  const transferred = num(p.transferredSize);
  let description: string;
  if (status === 'running') { description = runningText(canon(state) === 'working' ? 'Running' : stateText(state), pct, str(p.processingRate)); }
  else if (status === 'queued' || status === 'idle' || (status === 'warning' && canon(state) === 'actionrequired')) { description = stateText(state); }
  else {
    const what = status === 'stopped' ? (r.isCanceled === true ? 'Stopped by user' : 'Stopped') : status === 'unknown'
      ? (resultStatus(result) === 'unknown' ? String(result) : stateText(state)) : String(result);
    // ago(ended ?? created): '' when neither reads as a time
    const age = agoAt(ended !== undefined ? finished : began, c.now);
    description = reported ? dots(what, age, short(reported)) : described(what, age);
  }
  const timed = Number.isFinite(began) && Number.isFinite(finished);
  const name = sameName(str(s.name));
  const stop = status === 'running' || status === 'queued';
  return {
    key: `vbr:session:${id ?? noId(`${name}:${created}`)}`, type: 'jobSession', id,
    name: flat(retry ? `${stampAt(began)} · retry ${retry}` : stampAt(began)),
    status, description, progress: progressOf(pct),
    startedAt: created, endedAt: ended,
    message: reported,
    jobName: jobNameOf(name),
    metrics: timed || transferred !== undefined ? {
      durationSec: timed ? Math.max(0, Math.round((finished - began) / 1000)) : undefined,
      transferredBytes: transferred,
    } : undefined,
    hasChildren: !!id,
    actions: !id ? NONE : stop ? (reported ? STOP_MSG : STOP) : reported ? ACTIONS_MSG : ACTIONS,
    ref: { id: id ?? '', jobId: sameJobId(idOf(s.jobId)) ?? '' },
    details: tooltip(commonOf(name, s.sessionType, s.initiatedBy, s.platformName, status === 'running', r.isCanceled === true, c),
      enumValue(state), enumValue(result), enumValue(s.algorithm), enumValue(p.bottleneck), message, created, ended,
      str(p.duration), str(p.processingRate), p.processedSize, p.readSize, p.transferredSize, pct, retry),
  };
}

/** The tooltip's rows, made on first use; the closure holds these values only. */
function tooltip(k: Common, state: unknown, result: unknown, algorithm: unknown, bottleneck: unknown, message: string | undefined,
  created: string | undefined, ended: string | undefined, took: string | undefined, rate: string | undefined,
  processed: unknown, read: unknown, transferred: unknown, pct: number | undefined, retry: number | undefined): () => Detail[] {
  return () => rows(
    d('Job', k.job), d('Type', str(k.type)), d('State', str(state)),
    d('Result', str(result)), d('Message', message),
    d('Start', created ? dateTime(created) : undefined),
    d('End', ended ? dateTime(ended) : k.running ? 'running' : undefined),
    d('Duration', took ?? (created ? duration(created, ended, k.c.now) : undefined)),
    d('Progress', pct !== undefined ? `${pct}%` : undefined),
    ...progressRows({ processedSize: processed, readSize: read, transferredSize: transferred, processingRate: rate, bottleneck }),
    d('Algorithm', str(algorithm)), d('Initiated by', str(k.initiatedBy)),
    d('Retry', retry ? String(retry) : undefined), d('Canceled', k.canceled ? 'yes' : undefined),
    d('Platform', str(k.platform)),
  );
}

/** The string in one piece: a string built by concatenation is a tree of parts (3 × 32 B for a stamp); reading a character joins them. */
function flat(s: string): string { s.charCodeAt(0); return s; }
