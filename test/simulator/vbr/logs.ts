// Session and task-session logs: each session (and each of its task sessions) has a deterministic script of records
// (from its id and plan); what a read sees depends on the clock — records appear when they start, stay status None
// while in progress and get their final status, description and updateTime when they end, so a running session's log
// grows and its records change after they first appear.
import { hashString, Rng } from '../vb365/data';
import type { Session, VbrData } from './data';
import { sessionState, stopMs, taskWindow } from './runs';

export type LogStatus = 'None' | 'Succeeded' | 'Warning' | 'Failed';

export interface ScriptRecord { id: number; start: number; end: number; status: Exclude<LogStatus, 'None'>; title: string; description: string; info: [string, string][] }

export interface LogView { id: number; status: LogStatus; startTime: number; updateTime: number; title: string; description: string; info: [string, string][] }

const LOAD = ['Source 86% > Proxy 54% > Network 56% > Target 42%', 'Source 31% > Proxy 22% > Network 78% > Target 12%', 'Source 12% > Proxy 9% > Network 14% > Target 91%'];
const BOTTLENECK = ['Source', 'Network', 'Target'];

function jobScript(s: Session, data: VbrData, add: (start: number, end: number, status: ScriptRecord['status'], title: string, description?: string, info?: [string, string][]) => void): void {
  const job = data.jobById.get(s.jobId);
  const kind = job?.kind ?? 'vsphere-backup';
  const vm = kind === 'vsphere-backup' || kind === 'vsphere-replica';
  const c = s.creationTime;
  const r = new Rng(hashString(s.id));
  add(c, c, 'Succeeded', `Job started at ${data.clock.text(c)}`);
  add(c + s.startingMs * 0.3, c + s.startingMs * 0.9, 'Succeeded', vm ? 'Building list of machines to process' : 'Building list of objects to process');
  if (vm) {
    const sizes = s.objects.map((o) => job?.sizesGB[job.objects.indexOf(o)] ?? 60);
    const total = sizes.reduce((a, b) => a + b, 0);
    add(c + s.startingMs * 0.95, c + s.startingMs * 0.95, 'Succeeded', `VM size: ${total} GB (${Math.floor(total * 0.56)} GB used)`);
  }
  if (kind === 'vsphere-backup') {
    const cbtOff = /Changed block tracking/.test(s.message);
    add(c + s.startingMs * 0.96, c + s.startingMs * 0.96, cbtOff ? 'Warning' : 'Succeeded', `Changed block tracking is ${cbtOff ? 'disabled' : 'enabled'}`);
  }
  s.objects.forEach((obj, i) => {
    const w = taskWindow(s, i);
    const bad = s.result !== 'Success' && i === s.failIndex;
    add(w.start, w.end, bad ? (s.result === 'Failed' ? 'Failed' : 'Warning') : 'Succeeded', `Processing ${obj}`, bad ? s.message : '', [['ObjectName', obj]]);
  });
  const last = s.objects.length ? taskWindow(s, s.objects.length - 1).start + 1 : c + s.startingMs;
  add(last, last, 'Succeeded', vm ? 'All VMs have been queued for processing' : 'All objects have been queued for processing');
  const e = s.plannedEnd;
  add(e - 3, e - 3, 'Succeeded', `Load: ${r.pick(LOAD)}`);
  add(e - 2, e - 2, 'Succeeded', `Primary bottleneck: ${r.pick(BOTTLENECK)}`);
  if (s.result === 'Failed') add(e - 1, e - 1, 'Failed', s.message);
}

/** The big log: thousands of per-file records (the bigLogSession, a "File share copy" run). */
function bigScript(s: Session, data: VbrData, add: (start: number, end: number, status: ScriptRecord['status'], title: string, description?: string) => void): void {
  const n = (s.bigLog ?? 10) - 4;
  const r = new Rng(hashString(s.id));
  const c = s.creationTime;
  const work = c + s.startingMs;
  const span = s.plannedEnd - work - 10;
  add(c, c, 'Succeeded', `Job started at ${data.clock.text(c)}`);
  add(c + 100, work, 'Succeeded', 'Building list of files to process');
  for (let i = 0; i < n; i++) {
    const t = work + Math.floor(span * i / n);
    const file = `\\\\fs01.lab.local\\projects\\dept-${String(r.int(1, 40)).padStart(2, '0')}\\file-${String(i + 1).padStart(5, '0')}.${r.pick(['docx', 'xlsx', 'pdf', 'dwg', 'pptx'])}`;
    if (r.float() < 0.01) add(t, t + 5, 'Warning', `Skipped ${file}`, 'The file is locked by another process');
    else add(t, t + r.int(5, 400), 'Succeeded', `Copied ${file} (${(r.float() * 20).toFixed(1)} MB)`);
  }
  add(s.plannedEnd - 1, s.plannedEnd - 1, 'Succeeded', `Processed ${n} files`);
}

function otherScript(s: Session, data: VbrData, add: (start: number, end: number, status: ScriptRecord['status'], title: string) => void): void {
  const c = s.creationTime;
  const e = s.plannedEnd;
  if (s.kind === 'config') {
    add(c, c, 'Succeeded', `Configuration backup started at ${data.clock.text(c)}`);
    add(c + 1000, e - 2000, 'Succeeded', 'Backing up configuration database');
    add(e - 2000, e - 1000, s.result === 'Warning' ? 'Warning' : 'Succeeded', s.result === 'Warning' ? s.message : 'Backing up credentials');
  } else if (s.kind === 'analyzer') {
    data.bestPractices.forEach((b, i) => add(c + 1000 * (i + 1), c + 1000 * (i + 1) + 500, b.status === 'Violation' ? 'Warning' : 'Succeeded', `Checking: ${b.text}`));
  } else {
    add(c, e, 'Succeeded', s.name);
  }
}

/** Every record the session will ever have, in id (= start) order, already cut at a stop or a stall. */
export function logScript(s: Session, data: VbrData): ScriptRecord[] {
  const out: ScriptRecord[] = [];
  const add = (start: number, end: number, status: ScriptRecord['status'], title: string, description = '', info: [string, string][] = []): void => {
    out.push({ id: 0, start: Math.floor(start), end: Math.floor(Math.max(start, end)), status, title, description, info });
  };
  if (s.bigLog) bigScript(s, data, add);
  else if (s.kind === 'job') jobScript(s, data, add);
  else otherScript(s, data, add);
  const recs = cut(s, out);
  const stopAt = s.stoppedAt;
  if (stopAt !== undefined) recs.push({ id: 0, start: stopAt, end: stopAt, status: 'Warning', title: 'Job has been stopped by user', description: '', info: [] });
  const finalAt = stopAt !== undefined ? stopAt + stopMs(s) : s.stalled ? Infinity : s.plannedEnd;
  const result = stopAt !== undefined ? (s.stopGraceful ? 'Warning' : 'Failed') : s.result;
  if (s.kind === 'job' && finalAt !== Infinity) {
    const word = result === 'Success' ? 'success' : result === 'Warning' ? 'warning' : 'error';
    recs.push({ id: 0, start: finalAt, end: finalAt, status: result === 'Success' ? 'Succeeded' : result, title: `Job finished with ${word} at ${data.clock.text(finalAt)} `, description: '', info: [] });
  }
  recs.forEach((x, i) => { x.id = i + 1; });
  return recs;
}

/** Records in start order, cut at a stop (what was in progress ends with the stop) or a stall (never ends). */
function cut(s: Session, out: ScriptRecord[]): ScriptRecord[] {
  const stopAt = s.stoppedAt;
  const cutoff = stopAt ?? (s.stalled ? s.creationTime + s.startingMs + 0.42 * (s.plannedEnd - s.creationTime - s.startingMs) : Infinity);
  const recs = out.filter((x) => x.start <= cutoff).sort((a, b) => a.start - b.start);
  if (stopAt !== undefined) {
    const done = stopAt + stopMs(s);
    const status = s.stopGraceful ? 'Warning' : 'Failed';
    return recs.map((x) => (x.end > stopAt ? { ...x, end: done, status, description: 'Stopped by user' } : x));
  }
  return s.stalled ? recs.map((x) => (x.end > cutoff ? { ...x, end: Infinity } : x)) : recs;
}

/**
 * The log of task session `i` (one object of a job session), after the spec's TaskSessionLogResultExample: queued,
 * resources assigned, "Processing <object>" spanning the whole task (updated when it ends), snapshot and disk records,
 * the warning or failure of the object that has one, load and bottleneck, "Processing finished". Ids are large and
 * distinct per task, as in the example.
 */
export function taskLogScript(s: Session, i: number, data: VbrData): ScriptRecord[] {
  const job = data.jobById.get(s.jobId);
  const vm = job?.kind === 'vsphere-backup' || job?.kind === 'vsphere-replica';
  const obj = s.objects[i] ?? 'object';
  const w = taskWindow(s, i);
  const L = Math.max(100, w.end - w.start);
  const at = (f: number): number => w.start + Math.floor(L * f);
  const r = new Rng(hashString(s.taskIds[i] ?? `${s.id}:${i}`));
  const bad = s.result !== 'Success' && i === s.failIndex;
  const badStatus = s.result === 'Failed' ? 'Failed' : 'Warning';
  const out: ScriptRecord[] = [];
  const add = (start: number, end: number, status: ScriptRecord['status'], title: string, description = '', info: [string, string][] = []): void => {
    out.push({ id: 0, start, end: Math.max(start, end), status, title, description, info });
  };
  add(at(0), at(0), 'Succeeded', `Queued for processing at ${data.clock.text(at(0))}`);
  add(at(0.01), at(0.05), 'Succeeded', 'Required backup infrastructure resources have been assigned');
  add(at(0.06), at(0.97), bad ? badStatus : 'Succeeded', `Processing ${obj}`, '', [['ObjectName', obj]]);
  if (vm) {
    const size = job?.sizesGB[job.objects.indexOf(obj)] ?? 60;
    const read = (size * r.float() * 0.1).toFixed(1);
    add(at(0.06), at(0.06), 'Succeeded', `VM processing started at ${data.clock.text(at(0.06))}`);
    add(at(0.07), at(0.07), 'Succeeded', `VM size: ${size} GB (${(size * 0.56).toFixed(1)} GB used)`);
    add(at(0.08), at(0.12), 'Succeeded', 'Getting VM info from vSphere');
    add(at(0.13), at(0.18), 'Succeeded', 'Creating VM snapshot');
    add(at(0.19), at(0.2), 'Succeeded', `Using backup proxy VMware Backup Proxy for disk Hard disk 1 [${r.pick(['hotadd', 'nbd', 'san'])}]`);
    add(at(0.21), at(0.85), 'Succeeded', `Hard disk 1 (${size} GB)`, `${read} GB read at ${r.int(40, 400)} MB/s [CBT]`);
    add(at(0.86), at(0.9), 'Succeeded', 'Removing VM snapshot');
  } else {
    add(at(0.06), at(0.85), 'Succeeded', `Backing up ${obj}`, `${(r.float() * 40).toFixed(1)} GB read at ${r.int(20, 200)} MB/s`);
  }
  add(at(0.91), at(0.95), 'Succeeded', 'Finalizing');
  if (bad) add(at(0.96), at(0.96), badStatus, s.message);
  add(at(0.97), at(0.97), 'Succeeded', `Busy: ${r.pick(LOAD)}`);
  add(at(0.97) + 1, at(0.97) + 1, 'Succeeded', `Primary bottleneck: ${r.pick(BOTTLENECK)}`);
  const word = bad ? (badStatus === 'Failed' ? ' with error' : ' with warning') : '';
  add(w.end, w.end, bad ? badStatus : 'Succeeded', `Processing finished${word} at ${data.clock.text(w.end)}`);
  const recs = cut(s, out);
  const base = 20_000 + (hashString(s.taskIds[i] ?? s.id) % 5000) * 100;
  recs.forEach((x, k) => { x.id = base + k; });
  return recs;
}

/**
 * What GET /sessions/{id}/logs (or, with a task's script, GET /taskSessions/{id}/logs) shows at `now`, ordered as the
 * spec example is: newest updateTime first (ties: higher id first). That is "newest first", but a record that gets
 * updated moves up — clients must upsert by id.
 */
export function visibleLog(s: Session, data: VbrData, now: number, script: ScriptRecord[] = logScript(s, data)): LogView[] {
  const st = sessionState(s, now);
  const out: LogView[] = [];
  for (const x of script) {
    if (x.start > now) continue;
    const finished = now >= x.end || (st.state === 'Stopped' && x.end !== Infinity);
    out.push({ id: x.id, status: finished ? x.status : 'None', startTime: x.start, updateTime: finished ? x.end : Math.max(x.start, now),
      title: x.title, description: finished ? x.description : '', info: x.info });
  }
  return out.sort((a, b) => b.updateTime - a.updateTime || b.id - a.id);
}
