// Turning response bodies into data, with specific messages for what real servers
// and the proxies in front of them send instead.
import { VeeamError } from '../errors';
import type { HttpResponse } from './transport';

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** An HTML page where an API answer was expected: usually a proxy or load balancer. */
export function htmlError(res: HttpResponse, path: string): VeeamError | undefined {
  const t = stripBom(res.text).trimStart().slice(0, 2000);
  if (!/^<(!doctype html|html)/i.test(t)) { return undefined; }
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t)?.[1]?.trim();
  return new VeeamError(res.status >= 400 ? 'http' : 'malformed',
    `HTTP ${res.status}: the server (or a proxy in between) returned an HTML page${title ? ` "${title}"` : ''} instead of an API answer.`,
    { status: res.status, path });
}

/** For 429 and 503 with Retry-After: what the server asks for, as a sentence to append (else ''). */
export function busyNote(res: HttpResponse): string {
  const s = res.status === 429 || res.status === 503 ? retryAfter(res) : undefined;
  if (s === undefined) { return res.status === 429 ? ' The server is busy (too many requests); try again later.' : ''; }
  return ` The server is busy and asks to wait ${Math.ceil(s)} s before trying again.`;
}

export function parseJson<T = unknown>(res: HttpResponse, path: string): T {
  const text = stripBom(res.text);
  if (!text.trim()) {
    throw new VeeamError('malformed', `The server returned an empty body for ${path} (HTTP ${res.status}).`, { status: res.status, path });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw htmlError(res, path) ?? new VeeamError('malformed',
      `The server returned a body that is not valid JSON for ${path} (HTTP ${res.status}, ${text.length} bytes${
        res.headers['content-type'] ? `, ${res.headers['content-type']}` : ''}): ${(e as Error).message}`,
      { status: res.status, path });
  }
}

export function pretty(doc: { contentType: 'json' | 'xml'; text: string }): string {
  if (doc.contentType === 'json') {
    try { return JSON.stringify(JSON.parse(stripBom(doc.text)), null, 2); } catch { return doc.text; }
  }
  return doc.text;
}

/** Seconds the server asks to wait (Retry-After as seconds or an HTTP date). */
export function retryAfter(res: HttpResponse): number | undefined {
  const v = res.headers['retry-after'];
  if (!v) { return undefined; }
  const n = Number(v);
  if (Number.isFinite(n)) { return Math.max(0, n); }
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, (d - Date.now()) / 1000) : undefined;
}
