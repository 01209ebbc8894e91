// A tiny HTTPS client for the simulator's own tests (trusts the simulator's certificate explicitly).
import * as https from 'node:https';

export interface Resp { status: number; headers: Record<string, string | string[] | undefined>; text: string; json<T = unknown>(): T }

export interface ReqOpts {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  ca?: string;
  rejectUnauthorized?: boolean;
  timeoutMs?: number;
  servername?: string;
}

export function request(url: string, o: ReqOpts = {}): Promise<Resp> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.body));
    const req = https.request(url, {
      method: o.method ?? 'GET', headers, ca: o.ca, rejectUnauthorized: o.rejectUnauthorized ?? true,
      servername: o.servername, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('aborted')));
      res.on('end', () => {
        if (!res.complete) { reject(new Error('incomplete response')); return; }
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    if (o.timeoutMs) req.setTimeout(o.timeoutMs, () => req.destroy(new Error('timeout')));
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** Logs in to a VB365 simulator and returns request helpers bound to one API version. */
export async function vb365Session(baseUrl: string, ca: string, v: string, user = 'LAB\\administrator', password = 'Veeam123!') {
  const form = new URLSearchParams({ grant_type: 'password', username: user, password, disable_antiforgery_token: 'true' });
  const tok = await request(`${baseUrl}/${v}/token`, {
    method: 'POST', ca, body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  if (tok.status !== 200) throw new Error(`login failed: ${tok.status} ${tok.text}`);
  const token = tok.json<{ access_token: string }>().access_token;
  const call = (method: string, p: string, body?: string): Promise<Resp> => request(`${baseUrl}/${v}/${p}`, {
    method, ca, body, headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
  });
  return { token, tokenResponse: tok, get: (p: string) => call('GET', p), post: (p: string, body?: string) => call('POST', p, body) };
}

export interface VbrSession {
  token: string;
  refreshToken: string;
  tokenResponse: Resp;
  /** Headers every call sends (x-api-version + bearer). */
  headers: Record<string, string>;
  get(p: string): Promise<Resp>;
  post(p: string, body?: unknown): Promise<Resp>;
}

/** Logs in to a VBR simulator (POST /api/oauth2/token) and returns helpers bound to one x-api-version. */
export async function vbrSession(baseUrl: string, ca: string, rev: string, user = 'LAB\\administrator', password = 'Veeam123!'): Promise<VbrSession> {
  const form = new URLSearchParams({ grant_type: 'password', username: user, password });
  const tok = await request(`${baseUrl}/api/oauth2/token`, {
    method: 'POST', ca, body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-api-version': rev },
  });
  if (tok.status !== 200) throw new Error(`login failed: ${tok.status} ${tok.text}`);
  const g = tok.json<{ access_token: string; refresh_token: string }>();
  const headers = { 'x-api-version': rev, Authorization: `Bearer ${g.access_token}` };
  const call = (method: string, p: string, body?: unknown): Promise<Resp> => request(`${baseUrl}${p}`, {
    method, ca, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
  });
  return { token: g.access_token, refreshToken: g.refresh_token, tokenResponse: tok, headers, get: (p) => call('GET', p), post: (p, body) => call('POST', p, body) };
}
