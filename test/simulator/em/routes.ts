// EM resources, query service and the job actions (start, stop, retry, toggleScheduleEnabled) as Tasks.
import { EmData, JobRec, SessionRec } from './data';
import { Builder, LIST_TAG, Rec } from './entities';
import { FilterNode, FilterSyntaxError, compileFilter, parseFilter, sortRecs, topLevelEquals } from './query';
import { EmHttpError, Reply } from './reply';
import { Link, XList, XNode, list } from './repr';

export type TaskOperation = 'StartJob' | 'StopJob' | 'RetryJob' | 'ToggleScheduleEnabled';
export interface TaskRec { id: string; created: number; operation: TaskOperation; jobName: string; success: boolean; message: string }

const DAY = 86_400_000;
const TASK_MS = 800;
const TYPES: Rec['t'][] = ['BackupServer', 'Job', 'Repository', 'BackupJobSession', 'ReplicaJobSession', 'BackupTaskSession', 'ReplicaTaskSession'];
const ROOTS: Record<string, Rec['t']> = {
  backupServers: 'BackupServer', jobs: 'Job', repositories: 'Repository', backupSessions: 'BackupJobSession',
  replicaSessions: 'ReplicaJobSession', backupTaskSessions: 'BackupTaskSession', replicaTaskSessions: 'ReplicaTaskSession',
};

export class Resources {
  private taskSeq = 0;
  constructor(readonly b: Builder, readonly data: EmData, private readonly base: () => string, private readonly jobDurationMs: number,
    private readonly stopMs = 1000) {}

  private all(type: Rec['t'], now: number): Rec[] {
    const d = this.data;
    switch (type) {
      case 'BackupServer': return d.servers.map((r) => ({ t: type, r }));
      case 'Job': return d.jobs.map((r) => ({ t: type, r }));
      case 'Repository': return d.repositories.map((r) => ({ t: type, r }));
      case 'BackupJobSession': return [...d.allSessions(type)].map((r) => ({ t: type, r }));
      case 'ReplicaJobSession': return [...d.allSessions(type)].filter((s) => s.start >= now - 30 * DAY).map((r) => ({ t: type, r }));
      case 'BackupTaskSession': return [...d.allTasks(type)].map((r) => ({ t: type, r }));
      default: return [...d.allTasks('ReplicaTaskSession')].map((r) => ({ t: 'ReplicaTaskSession', r }));
    }
  }

  private get(type: Rec['t'], id: string, now: number): Rec {
    const rec = this.b.find(type, id);
    if (!rec || (type === 'ReplicaJobSession' && (rec.r as SessionRec).start < now - 30 * DAY)) {
      throw new EmHttpError(404, `${type} with id ${id} was not found.`);
    }
    return rec;
  }

  private collection(type: Rec['t'], recs: Rec[], entity: boolean, now: number): Reply {
    return entity
      ? { status: 200, jsonKey: LIST_TAG[type], node: { tag: LIST_TAG[type], fields: recs.map((r) => [type, this.b.entity(r, now)]) } }
      : { status: 200, jsonKey: 'Refs', node: { tag: 'EntityReferences', fields: recs.map((r) => ['Ref', this.b.ref(r)]) } };
  }

  /** GET /api/<collection>[/<id>[/<sub>]] */
  read(segs: string[], q: URLSearchParams, now: number): Reply | undefined {
    const type = ROOTS[segs[0]];
    if (!type) { return undefined; }
    const entity = /^entity$/i.test(q.get('format') ?? '') || /^entities$/i.test(q.get('format') ?? '');
    if (segs.length === 1) { return this.collection(type, this.all(type, now), entity, now); }
    const rec = this.get(type, segs[1], now);
    if (segs.length === 2) {
      return entity ? { status: 200, node: this.b.entity(rec, now) } : { status: 200, node: { ...this.b.ref(rec), tag: 'EntityRef' } };
    }
    if (segs.length !== 3) { return undefined; }
    const sub = segs[2];
    let recs: Rec[] | undefined;
    let subType: Rec['t'] | undefined;
    if (rec.t === 'BackupServer' && (sub === 'jobs' || sub === 'repositories')) {
      subType = sub === 'jobs' ? 'Job' : 'Repository';
      recs = this.all(subType, now).filter((x) => (x.r as { server: { id: string } }).server.id === rec.r.id);
    } else if (rec.t === 'Job' && sub === 'backupSessions') {
      subType = rec.r.sessionKind;
      recs = rec.r.sessions.map((r) => ({ t: rec.r.sessionKind, r }) as Rec);
    } else if ((rec.t === 'BackupJobSession' && sub === 'taskSessions') || (rec.t === 'ReplicaJobSession' && sub === 'replicaTaskSessions')) {
      subType = rec.t === 'BackupJobSession' ? 'BackupTaskSession' : 'ReplicaTaskSession';
      recs = this.data.tasksOf(rec.r).map((r) => ({ t: r.kind, r }) as Rec);
    }
    return recs && subType ? this.collection(subType, recs, entity, now) : undefined;
  }

  /** Fast path: a top-level JobSessionUid==… or JobUid==… only needs that session's tasks or that job's sessions. */
  private narrow(type: Rec['t'], node: FilterNode, now: number): Rec[] | undefined {
    const guid = (v: string | undefined) => v && /([0-9a-f-]{36})$/i.exec(v)?.[1];
    if (type === 'BackupTaskSession' || type === 'ReplicaTaskSession') {
      const id = guid(topLevelEquals(node, 'JobSessionUid'));
      const s = id ? this.data.session(id) : undefined;
      return id ? (s ? this.data.tasksOf(s).filter((t) => t.kind === type).map((r) => ({ t: type, r }) as Rec) : []) : undefined;
    }
    if (type === 'BackupJobSession' || type === 'ReplicaJobSession') {
      const id = guid(topLevelEquals(node, 'JobUid'));
      const j = id ? this.data.job(id) : undefined;
      if (!id) { return undefined; }
      return j && j.sessionKind === type
        ? j.sessions.filter((s) => type !== 'ReplicaJobSession' || s.start >= now - 30 * DAY).map((r) => ({ t: type, r }) as Rec) : [];
    }
    return undefined;
  }

  /** GET /api/query?type=…&format=Entities&filter=…&sortDesc=…&pageSize=…&page=… */
  query(q: URLSearchParams, now: number): Reply {
    const typeParam = q.get('type');
    if (!typeParam) { throw new EmHttpError(400, 'Query parameter "type" is required.'); }
    const type = TYPES.find((t) => t.toLowerCase() === typeParam.toLowerCase());
    if (!type) { throw new EmHttpError(400, `Query type "${typeParam}" is not supported.`); }
    const format = (q.get('format') ?? '').toLowerCase();
    if (format && !['entities', 'entity', 'refs', 'references', 'reference'].includes(format)) {
      throw new EmHttpError(400, `Format "${q.get('format')}" is not supported.`);
    }
    let recs: Rec[];
    try {
      const filter = q.get('filter');
      const node = filter !== null && filter !== '' ? parseFilter(filter) : undefined;
      recs = (node && this.narrow(type, node, now)) ?? this.all(type, now);
      if (node) {
        const pred = compileFilter(node, type);
        recs = recs.filter((r) => pred(r, now));
      }
      const sortDesc = q.get('sortDesc'), sortAsc = q.get('sortAsc');
      if (sortDesc || sortAsc) { recs = sortRecs(recs, type, (sortDesc || sortAsc)!, !!sortDesc, now); }
    } catch (e) {
      if (e instanceof FilterSyntaxError) { throw new EmHttpError(400, e.message); }
      throw e;
    }
    const pageSizeParam = q.get('pageSize');
    const pageSize = pageSizeParam ? Number(pageSizeParam) : 0;
    const page = q.get('page') ? Number(q.get('page')) : 1;
    if (!Number.isInteger(pageSize) || pageSize < 0 || !Number.isInteger(page) || page < 1) {
      throw new EmHttpError(400, 'pageSize and page must be positive integers.');
    }
    const size = pageSize || Math.max(recs.length, 1);
    const pagesCount = Math.max(1, Math.ceil(recs.length / size));
    const slice = recs.slice((page - 1) * size, page * size);
    const entities = format.startsWith('entit');
    const items: XNode[] = slice.map((r) => (entities ? this.b.entity(r, now) : this.b.ref(r)));
    // XML <Entities><BackupJobSessions><BackupJobSession/>… / <Refs><Ref/>…; JSON double nested:
    // {"Entities":{"BackupJobSessions":{"BackupJobSessions":[…]}}} / {"Refs":{"Refs":[…]}}
    const body: XNode | XList = entities ? { tag: 'Entities', fields: [[LIST_TAG[type], list(items, true)]] } : list(items, true);
    const href = (p: number) => {
      const parts: string[] = [];
      for (const [k, v] of q) { if (k !== 'page') { parts.push(`${k}=${encodeURIComponent(v)}`); } }
      parts.push(`page=${p}`);
      return `${this.base()}/api/query?${parts.join('&')}`;
    };
    const links: Link[] = [{ Rel: 'First', Href: href(1) }];
    if (page > 1) { links.push({ Rel: 'Previous', Href: href(Math.min(page - 1, pagesCount)) }); }
    if (page < pagesCount) { links.push({ Rel: 'Next', Href: href(page + 1) }); }
    links.push({ Rel: 'Last', Href: href(pagesCount) });
    const paging: XNode = { tag: 'PagingInfo', attrs: [['PageNum', page], ['PageSize', pageSize || recs.length], ['PagesCount', pagesCount]], links };
    return { status: 200, node: { tag: 'QueryResult', fields: [[entities ? 'Entities' : 'Refs', body], ['PagingInfo', paging]] } };
  }

  private jobOf(jobId: string): JobRec {
    const job = this.data.job(jobId);
    if (!job) { throw new EmHttpError(404, `Job with id ${jobId} was not found.`); }
    return job;
  }

  private newTask(tasks: Map<string, TaskRec>, now: number, operation: TaskOperation, job: JobRec, success: boolean, message: string): Reply {
    const t: TaskRec = { id: `task-${++this.taskSeq}`, created: now, operation, jobName: job.name, success, message };
    tasks.set(t.id, t);
    return { status: 202, node: this.task(t, now) };
  }

  /** POST /api/jobs/{id}?action=start: refused (a failed Task) while the job runs. */
  startJob(jobId: string, tasks: Map<string, TaskRec>, now: number): Reply {
    const job = this.jobOf(jobId);
    const running = this.data.runningSession(job, now);
    if (!running) { this.data.startSession(job, this.jobDurationMs, now); }
    return this.newTask(tasks, now, 'StartJob', job, !running,
      running ? `Failed to start job "${job.name}": the job is already running.` : `Job "${job.name}" triggered to start.`);
  }

  /** POST /api/jobs/{id}?action=stop: the running session stops ("Stopping", then Stopped/Failed); an idle job → a failed Task. */
  stopJob(jobId: string, tasks: Map<string, TaskRec>, now: number): Reply {
    const job = this.jobOf(jobId);
    const running = this.data.runningSession(job, now);
    if (!running || running.stopRequested !== undefined) {
      return this.newTask(tasks, now, 'StopJob', job, false, running
        ? `Failed to stop job "${job.name}": the job is already stopping.` : `Failed to stop job "${job.name}": the job is not running.`);
    }
    this.data.stopSession(running, this.stopMs, now);
    return this.newTask(tasks, now, 'StopJob', job, true, `Job "${job.name}" stopped.`);
  }

  /**
   * POST /api/jobs/{id}?action=retry: a new session (IsRetry) for what failed. A running job → a failed Task;
   * a job whose last session succeeded (or that never ran) → 400 <Error>, nothing to retry.
   */
  retryJob(jobId: string, tasks: Map<string, TaskRec>, now: number): Reply {
    const job = this.jobOf(jobId);
    if (this.data.runningSession(job, now)) {
      return this.newTask(tasks, now, 'RetryJob', job, false, `Failed to retry job "${job.name}": the job is already running.`);
    }
    const last = this.data.lastEnded(job, now);
    if (!last) { throw new EmHttpError(400, `Cannot retry job "${job.name}": the job has no sessions.`); }
    if (last.finalResult === 'Success') {
      throw new EmHttpError(400, `Cannot retry job "${job.name}": its last session ended with Success. Only failed or warning sessions can be retried.`);
    }
    this.data.retrySession(job, last, this.jobDurationMs, now);
    return this.newTask(tasks, now, 'RetryJob', job, true, `Job "${job.name}" triggered to retry.`);
  }

  /** POST /api/jobs/{id}?action=toggleScheduleEnabled: flips ScheduleEnabled, whatever it was. */
  toggleSchedule(jobId: string, tasks: Map<string, TaskRec>, now: number): Reply {
    const job = this.jobOf(jobId);
    job.scheduleEnabled = !job.scheduleEnabled;
    return this.newTask(tasks, now, 'ToggleScheduleEnabled', job, true,
      `Schedule of job "${job.name}" is now ${job.scheduleEnabled ? 'enabled' : 'disabled'}.`);
  }

  task(t: TaskRec, now: number): XNode {
    const href = `${this.base()}/api/tasks/${t.id}`;
    const done = now - t.created >= TASK_MS;
    return { tag: 'Task', attrs: [['Type', 'Task'], ['Href', href]], links: [{ Rel: 'Delete', Type: 'Task', Href: href }],
      fields: [['TaskId', t.id], ['State', done ? 'Finished' : 'Running'], ['Operation', t.operation],
        ['Result', done ? { tag: 'Result', attrs: [['Success', t.success]], fields: [['Message', t.message]] } : undefined]] };
  }
}

