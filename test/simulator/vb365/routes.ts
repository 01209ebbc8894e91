// The VB365 route table. Paths are matched case-insensitively after the /vN prefix.
import { sessionState, type SessionStatus } from './data';
import { BadRequest, bare, page } from './paging';
import { Refused, type Runners } from './runners';
import { logItems, type LogType } from './logs';
import { errorView, jobView, logItemView, orgView, repoView, sessionView, syncView, type Ver, type ViewCtx } from './views';

export interface Reply { status: number; body?: unknown }
export interface RouteReq { c: ViewCtx; params: string[]; query: URLSearchParams; body: string; seed: number; runners: Runners }
export interface Route { method: string; re: RegExp; minV?: Ver; maxV?: Ver; run(r: RouteReq): Reply }

const ID = '([^/]+)';
const r = (s: string): RegExp => new RegExp(`^${s}$`, 'i');
const ok = (body: unknown): Reply => ({ status: 200, body });

export function notFound(v: Ver, kind: string, id: string): Reply {
  return { status: 404, body: errorView(v, `${kind} with ID ${id} was not found.`, 'ResourceNotFound') };
}

function find<T extends { id: string }>(xs: T[], id: string): T | undefined {
  const low = id.toLowerCase();
  return xs.find((x) => x.id === low);
}

function sessionsOf({ c, query }: RouteReq, jobId: string | null): Reply['body'] {
  let list = c.data.sessions;
  if (jobId) list = list.filter((s) => s.jobId === jobId.toLowerCase());
  if (query.get('jobType') === 'Copy') list = [];
  const status = c.v >= 8 ? query.get('status') : null;
  if (status) {
    const map: Record<string, SessionStatus> = { Stopped: 'Stopped', Running: 'Running', Succeeded: 'Success', Failed: 'Failed', Warning: 'Warning' };
    const want = map[status];
    // v8's filter enum says Succeeded (the object says Success); anything else is a binding error (inferred).
    if (!want) throw new BadRequest(`The value '${status}' is not valid for status.`);
    list = list.filter((s) => sessionState(s, c.now).status === want);
  }
  const lower = c.v >= 7 ? query.get('endTimeLowerBound') : null;
  const upper = c.v >= 7 ? query.get('endTimeUpperBound') : null;
  if (lower || upper) {
    const lo = lower ? Date.parse(lower) : -Infinity;
    const hi = upper ? Date.parse(upper) : Infinity;
    if (Number.isNaN(lo) || Number.isNaN(hi)) throw new BadRequest('Invalid date in endTimeLowerBound/endTimeUpperBound.');
    list = list.filter((s) => { const e = sessionState(s, c.now).endTime; return e !== null && e >= lo && e <= hi; });
  }
  const map = (s: (typeof list)[number]): unknown => sessionView(c, s);
  const rel = jobId && !query.has('jobId') ? `Jobs/${jobId}/JobSessions` : 'JobSessions';
  return c.v === 4 ? bare(query, list, map) : page(c, rel, query, list, map);
}

function parseAction(body: string): string | undefined {
  try {
    const o: unknown = JSON.parse(body);
    if (o && typeof o === 'object' && !Array.isArray(o)) {
      const keys = Object.keys(o);
      if (keys.length === 1) return keys[0].toLowerCase();
    }
  } catch { /* fall through */ }
  return undefined;
}

// Refusals (a disabled job started, a job that is not running stopped, an enabled job enabled, a disabled job
// disabled) are 400 RESTExceptionInfo with the server's message; the spec declares only `default` for errors and
// the docs give no texts, so status and wording are inferred.
function jobAction(q: RouteReq, action: string): Reply {
  const { c, runners } = q;
  const job = find(c.data.jobs, q.params[0]);
  if (!job) return notFound(c.v, 'Job', q.params[0]);
  try {
    switch (action) {
      case 'start': {
        let full = false;
        try { full = q.body ? (JSON.parse(q.body) as { full?: boolean }).full === true : false; } catch { /* v4/v5 action body */ }
        const s = runners.startJob(job.id, c.now, full);
        if (c.v <= 5) return { status: 200 };
        return c.v >= 8 ? ok(sessionView(c, s)) : { status: 204 };
      }
      case 'stop': runners.stopJob(job.id, c.now); break;
      case 'enable': runners.setEnabled(job.id, true); break;
      case 'disable': runners.setEnabled(job.id, false); break;
      default: return { status: 400, body: errorView(c.v, `Unknown action '${action}'.`, 'ParameterValidationFailure') };
    }
  } catch (e) {
    if (e instanceof Refused) return { status: 400, body: errorView(c.v, e.message, 'OperationConflict') };
    throw e;
  }
  return { status: c.v <= 5 ? 200 : 204 };
}

function repoSync(q: RouteReq): Reply {
  const repo = find(q.c.data.repositories, q.params[0]);
  if (!repo) return notFound(q.c.v, 'Repository', q.params[0]);
  return ok(syncView(q.c, q.runners.startSync(repo.id, q.c.now)));
}

export const routes: Route[] = [
  { method: 'GET', re: r('Organizations'), run: ({ c, query }) => {
    const map = (o: (typeof c.data.organizations)[number]): unknown => orgView(c, o);
    return ok(c.v >= 8 ? page(c, 'Organizations', query, c.data.organizations, map) : bare(query, c.data.organizations, map));
  } },
  { method: 'GET', re: r(`Organizations/${ID}`), run: ({ c, params }) => {
    const o = find(c.data.organizations, params[0]);
    return o ? ok(orgView(c, o)) : notFound(c.v, 'Organization', params[0]);
  } },
  { method: 'GET', re: r(`Organizations/${ID}/Jobs`), maxV: 7, run: ({ c, params, query }) => {
    const o = find(c.data.organizations, params[0]);
    if (!o) return notFound(c.v, 'Organization', params[0]);
    return ok(bare(query, c.data.jobs.filter((j) => j.organizationId === o.id), (j) => jobView(c, j)));
  } },
  { method: 'GET', re: r('BackupRepositories'), run: ({ c, query }) => {
    let list = c.data.repositories;
    const lt = query.get('longTerm');
    if (lt) list = list.filter((x) => x.isLongTerm === (lt.toLowerCase() === 'true'));
    const proxyId = query.get('proxyId');
    if (proxyId) list = list.filter((x) => x.proxyId === proxyId.toLowerCase());
    const orgId = c.v >= 8 ? query.get('organizationId') : null;
    if (orgId) list = list.filter((x) => c.data.jobs.some((j) => j.repositoryId === x.id && j.organizationId === orgId.toLowerCase()));
    const map = (x: (typeof list)[number]): unknown => repoView(c, x);
    return ok(c.v >= 8 ? page(c, 'BackupRepositories', query, list, map) : bare(query, list, map));
  } },
  { method: 'GET', re: r(`BackupRepositories/${ID}`), run: ({ c, params }) => {
    const x = find(c.data.repositories, params[0]);
    return x ? ok(repoView(c, x)) : notFound(c.v, 'Repository', params[0]);
  } },
  { method: 'POST', re: r(`BackupRepositories/${ID}/Sync`), minV: 6, run: repoSync },
  { method: 'POST', re: r(`BackupRepositories/${ID}/action`), maxV: 5, run: (q) => {
    if (parseAction(q.body) !== 'sync') return { status: 400, body: errorView(q.c.v, 'Expected the body {"sync":null}.') };
    return repoSync(q);
  } },
  { method: 'GET', re: r('Jobs'), run: ({ c, query }) => {
    let list = c.data.jobs;
    const orgId = c.v >= 8 ? query.get('organizationId') : null;
    if (orgId) list = list.filter((j) => j.organizationId === orgId.toLowerCase());
    const repoId = c.v >= 8 ? query.get('repositoryId') : null;
    if (repoId) list = list.filter((j) => j.repositoryId === repoId.toLowerCase());
    const map = (j: (typeof list)[number]): unknown => jobView(c, j);
    return ok(c.v >= 8 ? page(c, 'Jobs', query, list, map) : bare(query, list, map));
  } },
  { method: 'GET', re: r(`Jobs/${ID}`), run: ({ c, params }) => {
    const j = find(c.data.jobs, params[0]);
    return j ? ok(jobView(c, j)) : notFound(c.v, 'Job', params[0]);
  } },
  { method: 'GET', re: r(`Jobs/${ID}/JobSessions`), maxV: 7, run: (q) => {
    const j = find(q.c.data.jobs, q.params[0]);
    return j ? ok(sessionsOf(q, j.id)) : notFound(q.c.v, 'Job', q.params[0]);
  } },
  { method: 'POST', re: r(`Jobs/${ID}/(start|stop|enable|disable)`), minV: 6, run: (q) => jobAction(q, q.params[1].toLowerCase()) },
  { method: 'POST', re: r(`Jobs/${ID}/action`), maxV: 5, run: (q) => jobAction(q, parseAction(q.body) ?? '') },
  { method: 'GET', re: r('JobSessions'), run: (q) => ok(sessionsOf(q, q.c.v >= 5 ? q.query.get('jobId') : null)) },
  { method: 'GET', re: r(`JobSessions/${ID}`), run: ({ c, params }) => {
    const s = c.data.sessionById.get(params[0].toLowerCase());
    return s ? ok(sessionView(c, s)) : notFound(c.v, 'Job session', params[0]);
  } },
  { method: 'GET', re: r(`JobSessions/${ID}/LogItems`), run: ({ c, params, query, seed }) => {
    const s = c.data.sessionById.get(params[0].toLowerCase());
    if (!s) return notFound(c.v, 'Job session', params[0]);
    let items = logItems(s, c.now, seed);
    const type = c.v >= 8 ? query.get('type') : null;
    if (type) {
      const types: LogType[] = ['Running', 'Warning', 'Error', 'Success', 'Stop'];
      if (!types.includes(type as LogType)) throw new BadRequest(`The value '${type}' is not valid for type.`);
      items = items.filter((l) => l.type === type);
    }
    if (c.v >= 8 && query.get('orderAsc')?.toLowerCase() === 'false') items.reverse();
    return ok(page(c, `JobSessions/${s.id}/LogItems`, query, items, (l) => logItemView(c, s.id, l)));
  } },
  { method: 'GET', re: r(`JobSessions/${ID}/LogItems/${ID}`), run: ({ c, params, seed }) => {
    const s = c.data.sessionById.get(params[0].toLowerCase());
    if (!s) return notFound(c.v, 'Job session', params[0]);
    const l = logItems(s, c.now, seed).find((x) => x.id === params[1].toLowerCase());
    return l ? ok(logItemView(c, s.id, l)) : notFound(c.v, 'Log item', params[1]);
  } },
  { method: 'GET', re: r('RepositorySynchronizeSessions'), run: ({ c, runners }) => ok(runners.syncs.map((s) => syncView(c, s))) },
  { method: 'GET', re: r(`RepositorySynchronizeSessions/${ID}`), run: ({ c, params, runners }) => {
    const s = find(runners.syncs, params[0]);
    return s ? ok(syncView(c, s)) : notFound(c.v, 'Repository synchronize session', params[0]);
  } },
  { method: 'POST', re: r(`RepositorySynchronizeSessions/${ID}/StopSynchronize`), minV: 6, run: ({ c, params, runners }) => {
    const s = find(runners.syncs, params[0]);
    if (!s) return notFound(c.v, 'Repository synchronize session', params[0]);
    runners.stopSync(s, c.now);
    return { status: c.v >= 8 ? 204 : 200 };
  } },
];
