// The VB365 server kind: version prefix, token endpoints, bearer check, then the route table.
import type * as http from 'node:http';
import type { AppContext, ServerApp, Vb365Options, Vb365Version } from '../types';
import { TokenStore } from './auth';
import { generateVb365Data, type Vb365Data } from './data';
import { BadRequest } from './paging';
import { routes, type Reply } from './routes';
import { Runners } from './runners';
import { errorView, type Ver } from './views';

export const DEFAULT_USERNAME = 'LAB\\administrator';
export const DEFAULT_PASSWORD = 'Veeam123!';

const PRODUCT_VERSION: Record<Ver, string> = { 4: '4.0.1.612', 5: '5.0.3.1063', 6: '6.1.0.254', 7: '7.1.0.2031', 8: '8.1.0.305' };

export interface Vb365App extends ServerApp {
  expireRefreshTokens(): void;
  data: Vb365Data;
  runners: Runners;
}

function send(res: http.ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extraHeaders };
  let text = '';
  if (reply.body !== undefined) {
    text = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

export function createVb365App(opts: Vb365Options, ctx: AppContext): Vb365App {
  const versions = new Set<number>((opts.versions ?? ['v6', 'v7', 'v8'] as Vb365Version[]).map((v) => Number(v.slice(1))));
  const maxV = Math.max(...versions) as Ver;
  const data = generateVb365Data(ctx.seed, opts);
  const runners = new Runners(data, opts.syncDurationMs ?? 4000, opts.jobDurationMs ?? 6000);
  const tokens = new TokenStore(opts.username ?? DEFAULT_USERNAME, opts.password ?? DEFAULT_PASSWORD,
    opts.tokenLifetimeSeconds ?? 3600, opts.refreshTokenLifetimeSeconds ?? 14 * 86_400);

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'https://sim.invalid');
    const m = /^\/v(\d+)(?:\/(.*))?$/i.exec(url.pathname.replace(/\/+$/, ''));
    const v = m ? Number(m[1]) : 0;
    if (!m || !versions.has(v)) {
      send(res, { status: 404, body: errorView(maxV, `No HTTP resource was found that matches the request URI '${url.pathname}'.`, 'ResourceNotFound') });
      return;
    }
    const ver = v as Ver;
    const rest = m[2] ?? '';
    const method = (req.method ?? 'GET').toUpperCase();
    const now = Date.now();
    const unauthorized = (): void => send(res, { status: 401, body: errorView(ver, 'Authorization has been denied for this request.') }, { 'WWW-Authenticate': 'Bearer' });

    if (/^token$/i.test(rest)) {
      if (method !== 'POST') { send(res, methodNotAllowed(ver, method), { Allow: 'POST' }); return; }
      const parsed = TokenStore.parseBody(body, req.headers['content-type']);
      if (!parsed) { send(res, { status: 400, body: errorView(ver, 'The request body is not valid.', 'ParameterValidationFailure') }); return; }
      const result = tokens.grant(parsed, ver, now);
      // Bad credentials: the spec declares only `default: RESTExceptionInfo` for /token, so that is what we send (400).
      send(res, result.ok ? { status: 200, body: result.grant }
        : { status: result.status, body: errorView(ver, result.message, 'ParameterValidationFailure') },
      { 'Cache-Control': 'no-store' });
      return;
    }
    if (/^token\/logout$/i.test(rest) && ver >= 7) {
      if (method !== 'POST') { send(res, methodNotAllowed(ver, method), { Allow: 'POST' }); return; }
      const token = tokens.check(req.headers.authorization, now);
      if (!token) { unauthorized(); return; }
      tokens.logout(token);
      send(res, { status: ver >= 8 ? 204 : 200 });
      return;
    }
    // Routing comes before authorization (ASP.NET Web API): a resource this version does not have is 404 with or
    // without a bearer, so a v4/v5 server answers 404 on /vN/ServiceInstance (it exists from v6 on).
    const serviceInstance = /^ServiceInstance$/i.test(rest) && ver >= 6;
    if (!serviceInstance && !routes.some((route) => !(route.minV && ver < route.minV) && !(route.maxV && ver > route.maxV) && route.re.test(rest))) {
      send(res, { status: 404, body: errorView(ver, `No HTTP resource was found that matches the request URI '${url.pathname}'.`, 'ResourceNotFound') });
      return;
    }
    const token = tokens.check(req.headers.authorization, now);
    if (serviceInstance) {
      if (!token) { unauthorized(); return; }
      send(res, { status: 200, body: { installationId: data.installationId, version: PRODUCT_VERSION[maxV] } });
      return;
    }
    if (!token) { unauthorized(); return; }

    const c = { v: ver, baseUrl: ctx.baseUrl(), now, data, nulls: opts.nulls === true, maxPageSize: opts.maxPageSize };
    let allowed: string[] = [];
    for (const route of routes) {
      if ((route.minV && ver < route.minV) || (route.maxV && ver > route.maxV)) continue;
      const pm = route.re.exec(rest);
      if (!pm) continue;
      if (route.method !== method) { allowed.push(route.method); continue; }
      try {
        send(res, route.run({ c, params: pm.slice(1), query: url.searchParams, body, seed: ctx.seed, runners }));
      } catch (e) {
        if (!(e instanceof BadRequest)) throw e;
        send(res, { status: 400, body: errorView(ver, e.message, 'ParameterValidationFailure') });
      }
      return;
    }
    allowed = [...new Set(allowed)];
    if (allowed.length) send(res, methodNotAllowed(ver, method), { Allow: allowed.join(', ') });
    else send(res, { status: 404, body: errorView(ver, `No HTTP resource was found that matches the request URI '${url.pathname}'.`, 'ResourceNotFound') });
  }

  return {
    handle, data, runners,
    expireTokens: () => tokens.expireAccess(),
    expireRefreshTokens: () => tokens.expireRefresh(),
  };
}

function methodNotAllowed(v: Ver, method: string): Reply {
  return { status: 405, body: errorView(v, `The requested resource does not support http method '${method}'.`) };
}
