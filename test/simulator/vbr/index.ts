// The VBR server kind (REST on port 9419): x-api-version gate, unauthenticated endpoints, OAuth2 tokens, bearer and
// role checks, then the route table. The core (test/simulator/index.ts) does TLS, latency, faults and stats around it.
import type * as http from 'node:http';
import type { AppContext, ServerApp, VbrFixtures, VbrHooks, VbrOptions, VbrRevision } from '../types';
import { ACTION_CLAIMS, VbrTokens, type Role } from './auth';
import { EPOCH, generateVbrData, type VbrData } from './data';
import { serverTimeView } from './infra';
import { BadQuery } from './query';
import { ALL_REVISIONS, isRevision, revOf, versionError } from './revisions';
import { certificateRoute, errorReply, RouteError, routes, type Reply } from './routes';
import { Runs } from './runs';
import type { ViewCtx } from './views';

export const VBR_USERNAME = 'LAB\\administrator';
export const VBR_PASSWORD = 'Veeam123!';

export interface VbrApp extends ServerApp {
  expireRefreshTokens(): void;
  data: VbrData;
  runs: Runs;
  hooks: VbrHooks;
}

const UNAUTHORIZED = { errorCode: 'AccessDenied', message: 'Unauthorized. Get bearer JWT token at /api/login' };

function send(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let text = '';
  if (reply.body !== undefined) {
    text = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

const mime = (req: http.IncomingMessage): string => String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

/** A JSON request body (optional on every action). Undefined when empty; RouteError when it is not a JSON object. */
function jsonBody(req: http.IncomingMessage, body: string): unknown {
  if (body.trim() === '') return undefined;
  if (mime(req) !== 'application/json') throw new RouteError(errorReply(400, 'UnexpectedContent', 'The request body must be application/json.'));
  try { return JSON.parse(body) as unknown; } catch {
    throw new RouteError(errorReply(400, 'UnexpectedContent', 'The request body is not valid JSON.'));
  }
}

export function createVbrApp(opts: VbrOptions, ctx: AppContext): VbrApp {
  const served: VbrRevision[] = [...(opts.revisions ?? ALL_REVISIONS)];
  const data = generateVbrData(ctx.seed, opts);
  const runs = new Runs(data, opts.jobDurationMs ?? 6000);
  const users: { user: string; password: string; role: Role }[] = [{ user: opts.username ?? VBR_USERNAME, password: opts.password ?? VBR_PASSWORD, role: 'admin' }];
  if (opts.readOnlyUser) users.push({ user: opts.readOnlyUser.username, password: opts.readOnlyUser.password, role: 'readonly' });
  const tokens = new VbrTokens(users, opts.tokenLifetimeSeconds ?? 900, opts.refreshTokenLifetimeSeconds ?? 14 * 86_400);

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const p = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const now = Date.now();
    // Swagger documents per revision need no header and no logon (a version probe some clients use).
    const swagger = /^\/swagger\/v([^/]+)\/swagger\.json$/i.exec(p);
    if (swagger && method === 'GET') {
      const v = swagger[1];
      send(res, isRevision(v) && served.includes(v) ? { status: 200, body: { openapi: '3.0.1', info: { title: 'Veeam Backup & Replication REST API', version: v }, paths: {} } }
        : errorReply(404, 'NotFound', 'Resource does not exist'));
      return;
    }
    const header = req.headers['x-api-version'];
    const version = typeof header === 'string' ? header.trim() : '';
    if (!isRevision(version) || !served.includes(version)) { send(res, { status: 400, body: versionError(opts.versionErrorStyle, served) }); return; }
    const c: ViewCtx = { rev: revOf(version), now, data, runs, nulls: !!opts.nulls };

    if (/^\/api\/oauth2\/token$/i.test(p)) {
      if (method !== 'POST') { send(res, errorReply(405, 'MethodNotAllowed', 'HTTP Method not allowed')); return; }
      if (mime(req) !== 'application/x-www-form-urlencoded') {
        send(res, errorReply(400, 'UnexpectedContent', 'The request body must be application/x-www-form-urlencoded.'));
        return;
      }
      const g = tokens.grant(new URLSearchParams(body), now);
      send(res, g.ok ? { status: 200, body: g.body, headers: { 'Cache-Control': 'no-store' } } : errorReply(g.status, g.errorCode, g.message));
      return;
    }
    if (method === 'GET' && /^\/api\/v1\/serverTime$/i.test(p)) { send(res, { status: 200, body: serverTimeView(c) }); return; }
    if (method === 'GET' && /^\/api\/v1\/serverCertificate$/i.test(p)) { send(res, certificateRoute(c, ctx.certificatePem?.())); return; }

    const who = tokens.check(req.headers.authorization, now);
    if (!who) { send(res, { status: 401, body: UNAUTHORIZED, headers: { 'WWW-Authenticate': 'Bearer' } }); return; }
    if (/^\/api\/oauth2\/logout$/i.test(p)) {
      if (method !== 'POST') { send(res, errorReply(405, 'MethodNotAllowed', 'HTTP Method not allowed')); return; }
      tokens.logout(who.token);
      send(res, { status: 200, body: {} });
      return;
    }
    const rest = /^\/api\/v1\/(.+)$/i.exec(p)?.[1];
    let methodMismatch = false;
    for (const route of rest === undefined ? [] : routes) {
      if (route.v13 && !c.rev.v13) continue;
      const m = route.re.exec(rest as string);
      if (!m) continue;
      if (route.method !== method) { methodMismatch = true; continue; }
      if (who.role === 'readonly' && (ACTION_CLAIMS as readonly string[]).includes(route.claim ?? '')) {
        send(res, errorReply(403, 'AccessDenied', 'Forbidden'));
        return;
      }
      try {
        send(res, route.run({ c, params: m.slice(1), query: url.searchParams, body: method === 'POST' ? jsonBody(req, body) : undefined,
          user: who, served, certPem: ctx.certificatePem?.() }));
      } catch (e) {
        if (e instanceof RouteError) send(res, e.reply);
        else if (e instanceof BadQuery) send(res, errorReply(400, 'UnexpectedContent', e.message));
        else throw e;
      }
      return;
    }
    send(res, methodMismatch ? errorReply(405, 'MethodNotAllowed', 'HTTP Method not allowed') : errorReply(404, 'InvalidURI', 'The request URI is invalid.'));
  }

  const job = (key: string): string => (data.jobs.find((j) => j.def.key === key) as { id: string }).id;
  const fixtures: VbrFixtures = {
    runningJobId: job('exch'), disabledJobId: job('legacy'), emptyJobId: job('empty'), failedJobId: job('replica'), warningJobId: job('sql'),
    successJobId: job('daily'), v13OnlyJobIds: data.jobs.filter((j) => j.v13Only).map((j) => j.id), bigLogSessionId: data.bigLogSessionId,
  };
  const jobById = (id: string): VbrData['jobs'][number] => {
    const j = data.jobById.get(id.toLowerCase());
    if (!j) throw new Error(`no VBR job ${id}`);
    return j;
  };
  const hooks: VbrHooks = {
    jobs: () => data.jobs.map((j) => ({ id: j.id, name: j.name, kind: j.kind, v13Only: j.v13Only })),
    fixtures: () => ({ ...fixtures, v13OnlyJobIds: [...fixtures.v13OnlyJobIds] }),
    setNextResult: (id, result, message) => runs.setNext(jobById(id), { result, message }),
    failNextSession: (id) => runs.setNext(id ? jobById(id) : undefined, { result: 'Failed', message: 'Failed to connect to host esx01.lab.local: timeout' }),
    stallNextSession: (id) => runs.setNext(jobById(id), { stall: true }),
    deleteSession: (id) => runs.deleteSession(id.toLowerCase()),
    sessions: () => data.sessions.map((x) => ({ id: x.id, jobId: x.jobId, name: x.name, kind: x.kind, creationTime: x.creationTime,
      v13Only: !!data.jobById.get(x.jobId)?.v13Only })),
    tokens: () => tokens.state(Date.now()),
  };
  return {
    handle, data, runs, hooks,
    expireTokens: () => tokens.expireAccess(),
    expireRefreshTokens: () => tokens.expireRefresh(),
  };
}

export { EPOCH };
