// The VBR route table (paths after /api/v1, matched case-insensitively). Collections use lists.ts; shapes views/jobs/infra.
import type { VbrRevision } from '../types';
import type { Principal } from './auth';
import type { Job, Session } from './data';
import { bestPracticesView, certificateView, licenseView, malwareView, managedServerView, proxyStateView, proxyView, repoStateView, repoView, serverInfoView } from './infra';
import { jobStateView, jobView, visibleJobs } from './jobs';
import { jobList, jobStateList, LOG_STATUSES, malwareList, proxyList, repoList, serverList, sessionList, taskList, type TaskRow } from './lists';
import { taskLogScript, visibleLog, type LogView } from './logs';
import { filterValue, list } from './query';
import { ActionError, sessionState, taskState } from './runs';
import { logRecordView, nullify, sessionView, taskView, tasksOf, type Json, type ViewCtx } from './views';

export interface Reply { status: number; body?: unknown; headers?: Record<string, string> }
export interface RouteReq { c: ViewCtx; params: string[]; query: URLSearchParams; body: unknown; user: Principal; served: readonly VbrRevision[]; certPem?: string }
export interface Route { method: 'GET' | 'POST'; re: RegExp; v13?: boolean; claim?: string; run(r: RouteReq): Reply }

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const r = (s: string): RegExp => new RegExp(`^${s.replace(/\{id\}/g, '([^/]+)')}$`, 'i');
const ok = (body: unknown, status = 200): Reply => ({ status, body });

export function errorReply(status: number, errorCode: string, message: string, resourceId?: string): Reply {
  return { status, body: { errorCode, message, ...(resourceId !== undefined ? { resourceId } : {}) } };
}
export const notFound = (id: string): Reply => errorReply(404, 'NotFound', 'Resource does not exist', id);

export class RouteError extends Error {
  constructor(readonly reply: Reply) { super(String((reply.body as { message?: string } | undefined)?.message)); }
}

/** A path id: not a GUID → 400 (model binding), unknown → 404 with resourceId. */
function idOf(raw: string): string {
  if (!UUID_RE.test(raw)) throw new RouteError(errorReply(400, 'UnexpectedContent', `One or more request parameters are not valid: the value '${raw}' is not a valid ID.`));
  return raw.toLowerCase();
}
function jobOf(q: RouteReq): Job {
  const id = idOf(q.params[0]);
  const j = q.c.data.jobById.get(id);
  if (!j || (j.v13Only && !q.c.rev.v13)) throw new RouteError(notFound(id));
  return j;
}
const sessionVisible = (c: ViewCtx, s: Session): boolean => c.rev.v13 || !c.data.jobById.get(s.jobId)?.v13Only;
function sessionOf(q: RouteReq): Session {
  const id = idOf(q.params[0]);
  const s = q.c.data.sessionById.get(id);
  if (!s || !sessionVisible(q.c, s)) throw new RouteError(notFound(id));
  return s;
}
const envelope = <T>(q: RouteReq, items: T[], def: Parameters<typeof list<T>>[3], map: (x: T) => Json): Json => {
  const p = list(q.c.rev, q.query, items, def);
  return { data: p.items.map(map), pagination: nullify(q.c, p.pagination as Json, ['skip', 'limit']) };
};
const bodyFlag = (body: unknown, key: string): boolean => !!body && typeof body === 'object' && (body as Record<string, unknown>)[key] === true;

function act(fn: () => Reply): Reply {
  try { return fn(); } catch (e) {
    if (e instanceof ActionError) return errorReply(e.status, 'UnknownError', e.message);
    throw e;
  }
}

/** Enable/disable: 1.2 answers 200 with an empty object, 1.3 204 without a body. Idempotent (inferred). */
function setDisabled(q: RouteReq, disabled: boolean): Reply {
  jobOf(q).disabled = disabled;
  return q.c.rev.v13 ? { status: 204 } : ok({});
}

/** SessionLogResult (no paging in either revision; 1.3 takes statusFilter). */
function logReply(q: RouteReq, all: LogView[]): Json {
  const status = q.c.rev.v13 ? filterValue(q.c.rev, q.query, 'statusFilter', { kind: 'enum', values: LOG_STATUSES }) : undefined;
  const recs = status !== undefined ? all.filter((x) => x.status === status) : all;
  return nullify(q.c, { totalRecords: recs.length, records: recs.map((x) => logRecordView(q.c, x)) }, ['totalRecords']);
}

function taskRows(c: ViewCtx, sessions: Session[]): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const s of sessions) {
    const replica = c.data.jobById.get(s.jobId)?.kind === 'vsphere-replica';
    for (const i of tasksOf(c, s)) rows.push({ s, i, t: taskState(s, i, c.now), type: replica ? 'Replica' : 'Backup' });
  }
  return rows;
}

export const routes: Route[] = [
  { method: 'GET', re: r('jobs'), claim: 'ViewJobs', run: (q) => ok(envelope(q, visibleJobs(q.c), jobList(q.c), (j) => jobView(q.c, j))) },
  { method: 'GET', re: r('jobs/states'), claim: 'ViewJobs', run: (q) => ok(envelope(q, visibleJobs(q.c), jobStateList(q.c), (j) => jobStateView(q.c, j))) },
  { method: 'GET', re: r('jobs/{id}'), claim: 'ViewJobs', run: (q) => ok(jobView(q.c, jobOf(q))) },
  { method: 'POST', re: r('jobs/{id}/start'), claim: 'StartJobs', run: (q) => act(() => {
    const job = jobOf(q);
    if (q.c.rev.v13 && job.objects.length === 0 && !job.disabled) return { status: 204 };
    const s = q.c.runs.start(job, q.c.now, q.user.user, { full: bodyFlag(q.body, 'performActiveFull') });
    return ok(sessionView(q.c, s, { startResponse: true }), 201);
  }) },
  { method: 'POST', re: r('jobs/{id}/stop'), claim: 'StopJobs', run: (q) => act(() => {
    const job = jobOf(q);
    const s = q.c.runs.running(job, q.c.now);
    if (!s) throw new ActionError(400, `Job '${job.name}' is not running.`);
    q.c.runs.stop(s, q.c.now, bodyFlag(q.body, 'gracefulStop'));
    return ok(sessionView(q.c, s), 201);
  }) },
  { method: 'POST', re: r('jobs/{id}/retry'), v13: true, claim: 'StartJobs', run: (q) => act(() => ok(sessionView(q.c, q.c.runs.retry(jobOf(q), q.c.now, q.user.user)), 201)) },
  { method: 'POST', re: r('jobs/{id}/enable'), claim: 'EnableJobs', run: (q) => setDisabled(q, false) },
  { method: 'POST', re: r('jobs/{id}/disable'), claim: 'DisableJobs', run: (q) => setDisabled(q, true) },
  { method: 'GET', re: r('sessions'), claim: 'ViewSessions', run: (q) => {
    const rows = q.c.data.sessions.filter((s) => sessionVisible(q.c, s)).map((s) => ({ s, st: sessionState(s, q.c.now) }));
    return ok(envelope(q, rows, sessionList(q.c), (x) => sessionView(q.c, x.s)));
  } },
  { method: 'GET', re: r('sessions/{id}'), claim: 'ViewSessions', run: (q) => ok(sessionView(q.c, sessionOf(q))) },
  { method: 'POST', re: r('sessions/{id}/stop'), claim: 'StopSessions', run: (q) => act(() => { q.c.runs.stop(sessionOf(q), q.c.now, false); return ok({}); }) },
  { method: 'GET', re: r('sessions/{id}/logs'), claim: 'ViewSessions', run: (q) => {
    return ok(logReply(q, visibleLog(sessionOf(q), q.c.data, q.c.now)));
  } },
  { method: 'GET', re: r('sessions/{id}/taskSessions'), claim: 'ViewTaskSessions', run: (q) => {
    const rows = taskRows(q.c, [sessionOf(q)]);
    const map = (x: TaskRow): Json => taskView(q.c, x.s, x.i);
    if (q.c.rev.v13) return ok(envelope(q, rows, taskList(q.c), map));
    return ok({ data: rows.map(map), pagination: { total: rows.length, count: rows.length } }); // 1.2: no query parameters, no paging
  } },
  { method: 'GET', re: r('taskSessions'), claim: 'ViewTaskSessions', run: (q) =>
    ok(envelope(q, taskRows(q.c, q.c.data.sessions.filter((s) => sessionVisible(q.c, s))), taskList(q.c), (x) => taskView(q.c, x.s, x.i))) },
  { method: 'GET', re: r('taskSessions/{id}'), claim: 'ViewTaskSessions', run: (q) => {
    const id = idOf(q.params[0]);
    const t = q.c.data.taskById.get(id);
    if (!t || !sessionVisible(q.c, t.session) || !taskState(t.session, t.index, q.c.now).visible) return notFound(id);
    return ok(taskView(q.c, t.session, t.index));
  } },
  { method: 'GET', re: r('taskSessions/{id}/logs'), claim: 'ViewTaskSessionLogs', run: (q) => {
    const id = idOf(q.params[0]);
    const t = q.c.data.taskById.get(id);
    if (!t || !sessionVisible(q.c, t.session) || !taskState(t.session, t.index, q.c.now).visible) return notFound(id);
    return ok(logReply(q, visibleLog(t.session, q.c.data, q.c.now, taskLogScript(t.session, t.index, q.c.data))));
  } },
  { method: 'GET', re: r('backupInfrastructure/repositories'), claim: 'ViewRepositories', run: (q) => ok(envelope(q, q.c.data.repositories, repoList(q.c, false), (x) => repoView(q.c, x))) },
  { method: 'GET', re: r('backupInfrastructure/repositories/states'), claim: 'ViewRepositories', run: (q) => ok(envelope(q, q.c.data.repositories, repoList(q.c, true), (x) => repoStateView(q.c, x))) },
  { method: 'GET', re: r('backupInfrastructure/repositories/{id}'), claim: 'ViewRepositories', run: (q) => {
    const id = idOf(q.params[0]);
    const x = q.c.data.repositories.find((y) => y.id === id);
    return x ? ok(repoView(q.c, x)) : notFound(id);
  } },
  { method: 'GET', re: r('backupInfrastructure/managedServers'), claim: 'ViewManagedServers', run: (q) => ok(envelope(q, q.c.data.servers, serverList(q.c), (x) => managedServerView(q.c, x))) },
  { method: 'GET', re: r('backupInfrastructure/managedServers/{id}'), claim: 'ViewManagedServers', run: (q) => {
    const id = idOf(q.params[0]);
    const x = q.c.data.servers.find((y) => y.id === id);
    return x ? ok(managedServerView(q.c, x)) : notFound(id);
  } },
  { method: 'GET', re: r('backupInfrastructure/proxies'), claim: 'ViewProxies', run: (q) => ok(envelope(q, q.c.data.proxies, proxyList(q.c, false), (x) => proxyView(q.c, x))) },
  { method: 'GET', re: r('backupInfrastructure/proxies/states'), v13: true, claim: 'ViewProxies', run: (q) => ok(envelope(q, q.c.data.proxies, proxyList(q.c, true), (x) => proxyStateView(q.c, x))) },
  { method: 'GET', re: r('backupInfrastructure/proxies/{id}'), claim: 'ViewProxies', run: (q) => {
    const id = idOf(q.params[0]);
    const x = q.c.data.proxies.find((y) => y.id === id);
    return x ? ok(proxyView(q.c, x)) : notFound(id);
  } },
  { method: 'GET', re: r('license'), claim: 'GetInstalledLicense', run: (q) => ok(licenseView(q.c)) },
  { method: 'GET', re: r('serverInfo'), claim: 'ViewServices', run: (q) => ok(serverInfoView(q.c, q.served)) },
  { method: 'GET', re: r('malwareDetection/events'), claim: 'ViewSuspiciousActivityEvents', run: (q) => ok(envelope(q, q.c.data.malware, malwareList(q.c), (x) => malwareView(q.c, x))) },
  { method: 'GET', re: r('securityAnalyzer/bestPractices'), claim: 'GetBestPracticesComplianceResult', run: (q) => ok(bestPracticesView(q.c)) },
  { method: 'GET', re: r('securityAnalyzer/lastRun'), claim: 'GetSecurityAnalyzerSession', run: (q) => {
    const s = q.c.data.sessions.find((x) => x.kind === 'analyzer');
    return s ? ok(sessionView(q.c, s)) : notFound(q.c.data.ids.analyzerJob);
  } },
];

/** Unauthenticated: GET /api/v1/serverCertificate (serverTime is in index.ts with the token endpoint). */
export const certificateRoute = (c: ViewCtx, pem: string | undefined): Reply => ok(certificateView(c, pem));
