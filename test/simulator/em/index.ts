// Veeam Backup Enterprise Manager REST API (/api/, XML first, JSON on request) for the simulator.
// The core (test/simulator/index.ts) does TLS, latency, faults and stats; this is the API itself.
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import type { AppContext, EmDataHooks, EmOptions, ServerApp } from '../types';
import { EmData, JobRec, sessionState } from './data';
import { Builder } from './entities';
import { EmHttpError, Reply, errorReply, writeReply } from './reply';
import { Link, XNode } from './repr';
import { Resources, TaskRec } from './routes';

export { EmData } from './data';
export { parseFilter, compileFilter, FilterSyntaxError } from './query';

interface LogonSession { token: string; sessionId: string; user: string; lastUsed: number; tasks: Map<string, TaskRec> }

const VERSIONS = ['v1_5', 'v1_6', 'v1_7'];

export interface EmApp extends ServerApp {
  readonly data: EmData;
  /** What tests do to the data (Simulator.emData). */
  readonly hooks: EmDataHooks;
  /** Number of live logon sessions (for tests of logoff). */
  sessionCount(): number;
}

const DAY = 86_400_000;

function dataHooks(data: EmData): EmDataHooks {
  const job = (id: string): JobRec => {
    const j = data.job(id.replace(/^urn:veeam:Job:/i, '').toLowerCase());
    if (!j) { throw new Error(`no EM job ${id}`); }
    return j;
  };
  return {
    jobs: () => data.jobs.map((j) => {
      const now = Date.now();
      const last = j.sessions.find((s) => s.start <= now);
      return { id: j.id, uid: `urn:veeam:Job:${j.id}`, name: j.name, server: j.server.name, jobType: j.jobType,
        scheduleEnabled: j.scheduleEnabled, running: !!data.runningSession(j, now), lastResult: last ? sessionState(last, now).result : undefined };
    }),
    addSession: (jobId, spec) => {
      const s = data.customSession(job(jobId), spec);
      return { id: s.id, uid: `urn:veeam:${s.kind}:${s.id}` };
    },
    setScheduleEnabled: (jobId, enabled) => { job(jobId).scheduleEnabled = enabled; },
    countSessions: (since, until = Date.now()) => {
      const now = Date.now();
      let n = 0;
      for (const s of data.allSessions()) {
        // The query service serves replica sessions of the last 30 days only.
        if (s.kind === 'ReplicaJobSession' && s.start < now - 30 * DAY) { continue; }
        if (s.start >= since && s.start <= until) { n++; }
      }
      return n;
    },
    repositories: () => data.repositories.map((r) => ({ id: r.id, uid: `urn:veeam:Repository:${r.id}`, name: r.name, server: r.server.name,
      capacity: r.capacity, free: r.free })),
    sessions: () => {
      const now = Date.now();
      const iso = (t: number) => new Date(t).toISOString();
      return [...data.allSessions()]
        // What the query service serves: started sessions, replica sessions of the last 30 days only.
        .filter((s) => s.start <= now && !(s.kind === 'ReplicaJobSession' && s.start < now - 30 * DAY))
        .sort((a, b) => b.start - a.start)
        .map((s) => {
          const st = sessionState(s, now);
          return { id: s.id, uid: `urn:veeam:${s.kind}:${s.id}`, kind: s.kind, jobName: s.job.name, server: s.job.server.name,
            result: st.result, state: st.state, message: st.ended ? s.failureMessage : '', creationTime: iso(s.start), endTime: st.ended ? iso(s.end) : undefined };
        });
    },
  };
}

export function createEmApp(opts: EmOptions, ctx: AppContext): EmApp {
  const o = {
    username: opts.username ?? 'LAB\\administrator',
    password: opts.password ?? 'Veeam123!',
    idleMs: (opts.idleTimeoutSeconds ?? 15 * 60) * 1000,
    jobDurationMs: opts.jobDurationMs ?? 6000,
    jsonBom: opts.jsonBom ?? true,
    stopMs: opts.stopDurationMs ?? 1000,
  };
  const data = new EmData({ seed: ctx.seed, sessionsPerJob: opts.sessionsPerJob ?? 300, benchReplicaTaskSessions: opts.benchReplicaTaskSessions ?? 0 });
  const base = () => ctx.baseUrl().replace(/\/+$/, '');
  const builder = new Builder(base, data, opts.nulls === true);
  const resources = new Resources(builder, data, base, o.jobDurationMs, o.stopMs);
  const sessions = new Map<string, LogonSession>();

  const rootLinks = (): Link[] => [
    { Rel: 'Down', Type: 'LogonSessionList', Href: `${base()}/api/logonSessions` },
    { Rel: 'Create', Type: 'LogonSession', Href: `${base()}/api/sessionMngr/?v=latest` },
  ];

  function enterpriseManager(): XNode {
    return { tag: 'EnterpriseManager', attrs: [['Href', `${base()}/api/`], ['Type', 'EnterpriseManager']], links: rootLinks(),
      fields: [['SupportedVersions', { tag: 'SupportedVersions', fields: VERSIONS.map((v) => ['SupportedVersion', {
        tag: 'SupportedVersion', attrs: [['Name', v]], links: [{ Rel: 'Create', Type: 'LogonSession', Href: `${base()}/api/sessionMngr/?v=${v}` }],
      }]) }]] };
  }

  function logonSession(s: LogonSession): XNode {
    const href = `${base()}/api/logonSessions/${s.sessionId}`;
    const down = (type: string, p: string): Link => ({ Rel: 'Down', Type: type, Href: `${base()}/api/${p}` });
    return { tag: 'LogonSession', attrs: [['Href', href], ['Type', 'LogonSession']], links: [
      { Rel: 'Up', Type: 'EnterpriseManager', Href: `${base()}/api/` },
      down('BackupServerReferenceList', 'backupServers'), down('JobReferenceList', 'jobs'), down('RepositoryReferenceList', 'repositories'),
      down('BackupJobSessionReferenceList', 'backupSessions'), down('ReplicaJobSessionReferenceList', 'replicaSessions'),
      down('BackupTaskSessionReferenceList', 'backupTaskSessions'), down('ReplicaTaskSessionReferenceList', 'replicaTaskSessions'),
      down('TaskList', 'tasks'), down('QueryService', 'querySvc'), { Rel: 'Delete', Href: href },
    ], fields: [['UserName', s.user], ['SessionId', s.sessionId]] };
  }

  function logon(req: http.IncomingMessage, q: URLSearchParams): Reply {
    const v = q.get('v') ?? 'latest';
    if (v !== 'latest' && !VERSIONS.includes(v)) { throw new EmHttpError(400, `API version "${v}" is not supported.`); }
    const m = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : '';
    const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (!m || user.toLowerCase() !== o.username.toLowerCase() || pass !== o.password) {
      throw new EmHttpError(401, 'Access denied. Invalid user name or password.', { 'WWW-Authenticate': 'Basic Realm=RestSvc' });
    }
    const s: LogonSession = { token: crypto.randomBytes(16).toString('base64'), sessionId: crypto.randomUUID(), user: o.username,
      lastUsed: Date.now(), tasks: new Map() };
    sessions.set(s.token, s);
    return { status: 201, node: logonSession(s), headers: {
      'X-RestSvcSessionId': s.token, 'Set-Cookie': `X-RestSvcSessionId=${s.token}; Path=/api; Secure; HttpOnly`,
      Location: `${base()}/api/logonSessions/${s.sessionId}` } };
  }

  function authenticate(req: http.IncomingMessage, now: number): LogonSession {
    const cookie = String(req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith('X-RestSvcSessionId='));
    const token = cookie ? decodeURIComponent(cookie.slice('X-RestSvcSessionId='.length)) : String(req.headers['x-restsvcsessionid'] ?? '');
    const s = token ? sessions.get(token) : undefined;
    if (!s) { throw new EmHttpError(401, 'Authentication failed: the X-RestSvcSessionId is missing or invalid.'); }
    if (now - s.lastUsed > o.idleMs) {
      sessions.delete(token);
      throw new EmHttpError(401, 'The logon session has expired. Log on again.');
    }
    s.lastUsed = now;
    return s;
  }

  function route(req: http.IncomingMessage, url: URL, now: number): Reply {
    const method = (req.method ?? 'GET').toUpperCase();
    const q = url.searchParams;
    const path = url.pathname.replace(/\/+$/, '');
    if (!/^\/api(\/|$)/i.test(url.pathname)) { throw new EmHttpError(404, `Resource ${url.pathname} not found.`); }
    const segs = path.split('/').slice(2).filter(Boolean);
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) { throw new EmHttpError(405, `Method ${method} is not allowed for ${url.pathname}.`, { Allow: methods.join(', ') }); }
    };
    if (segs.length === 0) { allow('GET'); return { status: 200, node: enterpriseManager() }; }
    if (segs[0] === 'sessionMngr' && segs.length === 1) { allow('POST'); return logon(req, q); }
    const s = authenticate(req, now);
    if (segs[0] === 'logonSessions' && segs.length === 2) {
      allow('GET', 'DELETE');
      if (segs[1] !== s.sessionId) { throw new EmHttpError(404, `Logon session ${segs[1]} was not found.`); }
      if (method === 'GET') { return { status: 200, node: logonSession(s) }; }
      sessions.delete(s.token);
      return { status: 204 };
    }
    if (segs[0] === 'query' && segs.length === 1) { allow('GET'); return resources.query(q, now); }
    if (segs[0] === 'tasks') {
      if (segs.length === 1) {
        allow('GET');
        return { status: 200, node: { tag: 'Tasks', fields: [...s.tasks.values()].map((t) => ['Task', resources.task(t, now)]) }, jsonKey: 'Tasks' };
      }
      if (segs.length === 2) {
        allow('GET', 'DELETE');
        const t = s.tasks.get(segs[1]);
        if (!t) { throw new EmHttpError(404, `Task ${segs[1]} was not found.`); }
        if (method === 'DELETE') { s.tasks.delete(t.id); return { status: 204 }; }
        return { status: 200, node: resources.task(t, now) };
      }
    }
    if (segs[0] === 'jobs' && segs.length === 2 && method === 'POST') {
      const action = q.get('action');
      if (action === 'start') { return resources.startJob(segs[1], s.tasks, now); }
      if (action === 'stop') { return resources.stopJob(segs[1], s.tasks, now); }
      if (action === 'retry') { return resources.retryJob(segs[1], s.tasks, now); }
      if (action === 'toggleScheduleEnabled') { return resources.toggleSchedule(segs[1], s.tasks, now); }
      if (action && ['clone', 'sync'].includes(action)) {
        throw new EmHttpError(501, `Action "${action}" is not implemented by this simulator.`);
      }
      throw new EmHttpError(400, `Unknown action "${action ?? ''}".`);
    }
    const r = resources.read(segs, q, now);
    if (r) { allow('GET'); return r; }
    throw new EmHttpError(404, `Resource ${url.pathname} not found.`);
  }

  return {
    data,
    hooks: dataHooks(data),
    sessionCount: () => sessions.size,
    handle(req, res) {
      const now = Date.now();
      let reply: Reply;
      try {
        reply = route(req, new URL(req.url ?? '/', 'http://em.invalid'), now);
      } catch (e) {
        reply = e instanceof EmHttpError ? errorReply(e.status, e.message, e.headers)
          : errorReply(500, e instanceof Error ? e.message : String(e));
      }
      writeReply(req, res, reply, o.jsonBom);
    },
    expireTokens() { sessions.clear(); },
  };
}
