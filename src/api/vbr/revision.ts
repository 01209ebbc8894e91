// Which revision of the VBR REST API a server speaks. Every request carries `x-api-version`;
// there is no endpoint that lists the revisions, so the unauthenticated GET /api/v1/serverTime
// is asked with the newest known revision and steps down on "not supported" (or jumps straight
// to the newest one the server lists, for servers that name them in the error message).
import { VeeamError } from '../errors';
import { htmlError, stripBom } from '../http/body';
import type { HttpResponse, Transport } from '../http/transport';

/** The revisions this client knows, newest first. */
export const REVISIONS = ['1.3-rev2', '1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1', '1.1-rev0'] as const;

export const SERVER_TIME = '/api/v1/serverTime';

/** A revision the server speaks, with what the client needs to know about it. */
export interface Revision {
  /** As sent in x-api-version, e.g. '1.3-rev2'. */
  name: string;
  major: number;
  minor: number;
  rev: number;
  /** From /serverTime: the IANA zone (1.3), the Windows zone text, and the UTC offset of serverTime in minutes. */
  ianaTimeZone?: string;
  timeZone?: string;
  offsetMinutes?: number;
}

export function parseRevision(s: string): { major: number; minor: number; rev: number } | undefined {
  const m = /^v?(\d+)\.(\d+)-rev(\d+)$/i.exec(s.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), rev: Number(m[3]) } : undefined;
}

/** At least `min` ('1.3-rev0')? */
export function atLeast(r: Pick<Revision, 'major' | 'minor' | 'rev'>, min: string): boolean {
  const m = parseRevision(min)!;
  return r.major !== m.major ? r.major > m.major : r.minor !== m.minor ? r.minor > m.minor : r.rev >= m.rev;
}

/**
 * The revisions an error body names: "… The following versions are supported: v1.0-rev1, v1.1-rev0."
 * Undefined when the body names none (the spec's `{"errorCode":"NotImplemented", …}` style).
 */
export function supportedIn(text: string): string[] | undefined {
  let message = text;
  try {
    const b = JSON.parse(stripBom(text)) as Record<string, unknown>;
    if (typeof b.message === 'string') { message = b.message; }
  } catch { /* a plain-text body */ }
  const m = /supported\s*:\s*([^\n"]*)/i.exec(message);
  if (!m) { return undefined; }
  const list = m[1].split(/[,;\s]+/).map((v) => v.replace(/[.]+$/, '').replace(/^v/i, '').toLowerCase()).filter((v) => !!parseRevision(v));
  return list.length ? list : undefined;
}

function serverMessage(res: HttpResponse): string | undefined {
  try {
    const b = JSON.parse(stripBom(res.text)) as Record<string, unknown>;
    return typeof b.message === 'string' ? b.message : undefined;
  } catch { return stripBom(res.text).trim().slice(0, 300) || undefined; }
}

/** The answer of /serverTime: the server's zone, for task-session times that come without an offset. */
function withTime(name: string, res: HttpResponse): Revision {
  const r: Revision = { name, ...parseRevision(name)! };
  try {
    const b = JSON.parse(stripBom(res.text)) as Record<string, unknown>;
    if (typeof b.ianaTimeZoneId === 'string' && b.ianaTimeZoneId) { r.ianaTimeZone = b.ianaTimeZoneId; }
    if (typeof b.timeZone === 'string' && b.timeZone) { r.timeZone = b.timeZone; }
    const off = typeof b.serverTime === 'string' ? /([+-])(\d\d):?(\d\d)$/.exec(b.serverTime) : null;
    if (off) { r.offsetMinutes = (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])); }
    else if (typeof b.serverTime === 'string' && /Z$/i.test(b.serverTime)) { r.offsetMinutes = 0; }
  } catch { /* the time zone is optional */ }
  return r;
}

/**
 * Find the revision: the pinned one (checked once against the server), else the newest known
 * one the server answers. `signal` is the client's own (detection is shared by every caller).
 */
export async function detectRevision(transport: Transport, host: string, pinned: string | undefined, signal: AbortSignal): Promise<Revision> {
  const ask = (v: string) => transport.request({ method: 'GET', path: SERVER_TIME, signal, headers: { 'x-api-version': v, accept: 'application/json' } });
  const known: readonly string[] = REVISIONS;
  if (pinned) {
    const p = parseRevision(pinned);
    if (!p) { throw new VeeamError('config', `"${pinned}" is not a VBR REST API revision (expected e.g. 1.3-rev2).`); }
    const name = `${p.major}.${p.minor}-rev${p.rev}`;
    const res = await ask(name);
    if (res.status === 200 || res.status === 401 || res.status === 403) { return withTime(name, res); }
    if (res.status === 400) {
      const listed = supportedIn(res.text);
      throw new VeeamError('config', `${host} does not support the pinned API revision ${name}${listed ? ` (it supports ${listed.join(', ')})` : ''}. `
        + 'Clear the API version of this server to detect it.', { status: 400, serverMessage: serverMessage(res), path: SERVER_TIME });
    }
    throw unexpected(res, host);
  }
  let i = 0;
  let listedByServer: string[] | undefined;
  while (i < known.length) {
    const v = known[i];
    const res = await ask(v);
    if (res.status === 200 || res.status === 401 || res.status === 403) { return withTime(v, res); }
    if (res.status !== 400) { throw unexpected(res, host); }
    const listed = supportedIn(res.text);
    if (listed) {
      listedByServer = listed;
      // Jump straight to the newest listed revision we know (and that we have not tried yet).
      const j = known.findIndex((k, idx) => idx > i && listed.includes(k));
      if (j < 0) { break; }
      i = j;
      continue;
    }
    i++;
  }
  const ours = `${known[known.length - 1]}–${known[0]}`;
  throw new VeeamError('config', listedByServer
    ? `${host} supports the VBR REST API revisions ${listedByServer.join(', ')}; this extension speaks ${ours}.`
    : `${host} supports none of the VBR REST API revisions ${ours}.`, { status: 400, path: SERVER_TIME });
}

function unexpected(res: HttpResponse, host: string): VeeamError {
  const html = htmlError(res, SERVER_TIME);
  if (html) { return html; }
  if (res.status === 404) {
    return new VeeamError('config', `${host} has no Veeam Backup & Replication REST API (HTTP 404 for ${SERVER_TIME}). Is the port right (9419)?`,
      { status: 404, path: SERVER_TIME });
  }
  const said = serverMessage(res);
  return new VeeamError('http', `${host} answered HTTP ${res.status} to ${SERVER_TIME}${said ? `: ${said}` : ''}.`,
    { status: res.status, serverMessage: said, path: SERVER_TIME });
}

/**
 * Wait for shared work on the caller's own signal: the caller stops waiting when it aborts,
 * the work goes on for everyone else.
 */
export function waitFor<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) { return p; }
  if (signal.aborted) { return Promise.reject(new VeeamError('cancelled', 'Cancelled.')); }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new VeeamError('cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { signal.removeEventListener('abort', onAbort); reject(e); });
  });
}
