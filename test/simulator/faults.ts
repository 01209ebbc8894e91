// Fault injection: matching rules and writing the faulty responses.
import type * as http from 'node:http';
import type { FaultRule, ServerKindName } from './types';

export type ServerKind = ServerKindName;

export function matchFault(rules: FaultRule[], server: ServerKind, method: string, pathAndQuery: string): FaultRule | undefined {
  const i = rules.findIndex((r) =>
    (!r.server || r.server === server)
    && (!r.method || r.method.toUpperCase() === method)
    && (!r.path || (typeof r.path === 'string' ? pathAndQuery.includes(r.path) : r.path.test(pathAndQuery))));
  if (i < 0) return undefined;
  const rule = rules[i];
  if (rule.times !== undefined) {
    rule.times--;
    if (rule.times <= 0) rules.splice(i, 1);
  }
  return rule;
}

const ERROR_CODES: Record<number, string> = { 403: 'ResourceAccessDenied', 404: 'ResourceNotFound', 408: 'Timeout', 409: 'OperationConflict', 504: 'Timeout' };

// VBR's Error.errorCode enum has no per-status codes beyond these; anything else is UnknownError (inferred).
const VBR_CODES: Record<number, string> = {
  401: 'AccessDenied', 403: 'AccessDenied', 404: 'NotFound', 405: 'MethodNotAllowed', 501: 'NotImplemented', 503: 'ServiceUnavailable',
};

/** The server kind's own error body: VB365 RESTExceptionInfo JSON, EM <Error/> XML, VBR {errorCode, message}. */
export function errorBody(server: ServerKind, status: number, message: string): { type: string; text: string } {
  if (server === 'vbr') {
    return { type: 'application/json; charset=utf-8', text: JSON.stringify({ errorCode: VBR_CODES[status] ?? 'UnknownError', message }) };
  }
  if (server === 'vb365') {
    return { type: 'application/json; charset=utf-8', text: JSON.stringify({ message, errorCode: ERROR_CODES[status] ?? 'HttpError' }) };
  }
  const esc = message.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    type: 'application/xml; charset=utf-8',
    text: `<?xml version="1.0" encoding="utf-8"?>\n<Error xmlns="http://www.veeam.com/ent/v1.0" Message="${esc}" StatusCode="${status}"/>`,
  };
}

export function writeBody(res: http.ServerResponse, status: number, type: string | undefined, body: string | Buffer, extra: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string> = { ...extra, 'Content-Length': String(buf.length) };
  if (type) headers['Content-Type'] = type;
  res.writeHead(status, headers);
  res.end(buf);
}

export function htmlPage(status: number): string {
  return `<!DOCTYPE html>\n<html><head><title>${status} Bad Gateway</title></head>\n<body><center><h1>${status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n`;
}

export interface Captured { status: number; headers: http.OutgoingHttpHeaders; body: Buffer }

type WriteHeadArgs = [number, (string | http.OutgoingHttpHeaders | http.OutgoingHttpHeader[])?, (http.OutgoingHttpHeaders | http.OutgoingHttpHeader[])?];

/** Runs the real handler with writeHead/write/end intercepted and returns what it would have sent. */
export function capture(res: http.ServerResponse, run: () => void | Promise<void>): Promise<Captured> {
  const orig = { writeHead: res.writeHead, write: res.write, end: res.end };
  const chunks: Buffer[] = [];
  let status: number | undefined;
  const headers: http.OutgoingHttpHeaders = {};
  const toBuf = (c: unknown): Buffer | undefined =>
    typeof c === 'string' ? Buffer.from(c) : c instanceof Uint8Array ? Buffer.from(c) : undefined;
  return new Promise<Captured>((resolve, reject) => {
    const restore = (): void => { Object.assign(res, orig); };
    (res as { writeHead: unknown }).writeHead = (...args: WriteHeadArgs) => {
      status = args[0];
      const h = typeof args[1] === 'string' ? args[2] : args[1];
      if (Array.isArray(h)) {
        for (let i = 0; i + 1 < h.length; i += 2) headers[String(h[i]).toLowerCase()] = h[i + 1] as string;
      } else if (h) {
        for (const [k, val] of Object.entries(h)) headers[k.toLowerCase()] = val;
      }
      return res;
    };
    (res as { write: unknown }).write = (c: unknown, ...rest: unknown[]) => {
      const b = toBuf(c);
      if (b) chunks.push(b);
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    };
    (res as { end: unknown }).end = (c?: unknown, ...rest: unknown[]) => {
      const b = toBuf(c);
      if (b) chunks.push(b);
      restore();
      const all: http.OutgoingHttpHeaders = { ...res.getHeaders(), ...headers };
      for (const k of Object.keys(res.getHeaders())) res.removeHeader(k);
      resolve({ status: status ?? res.statusCode, headers: all, body: Buffer.concat(chunks) });
      const cb = [c, ...rest].find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return res;
    };
    Promise.resolve().then(run).catch((e: unknown) => { restore(); reject(e); });
  });
}

/** A body that no JSON or XML parser accepts, made from the real one. */
export function malform(body: string, xml: boolean): string {
  if (xml) return `${body.slice(0, Math.max(0, body.length - 2))}<<&&</Unclosed`;
  return `${body.slice(0, Math.max(0, body.length - 1)) || '{"'},,}{`;
}

const HUGE = 10 * 1024 * 1024;

/** A still-valid body of about 10 MB built from the real one (repeated results / VBR data or log records, or padding). */
export function hugeBody(body: string, xml: boolean): string {
  if (xml) {
    const pad = `<!--${'x'.repeat(HUGE)}-->`;
    const close = body.lastIndexOf('</');
    return close > 0 ? body.slice(0, close) + pad + body.slice(close) : body + pad;
  }
  let parsed: unknown;
  try { parsed = JSON.parse(body); } catch { parsed = undefined; }
  const grow = (items: unknown[]): unknown[] => {
    if (!items.length) items = [{ padding: 'x'.repeat(1024) }];
    const one = JSON.stringify(items).length / items.length;
    const n = Math.ceil(HUGE * 1.02 / Math.max(1, one));
    return Array.from({ length: n }, (_, i) => items[i % items.length]);
  };
  if (Array.isArray(parsed)) return JSON.stringify(grow(parsed));
  if (parsed && typeof parsed === 'object') {
    const o = parsed as Record<string, unknown>;
    if (Array.isArray(o.results)) return JSON.stringify({ ...o, results: grow(o.results) });
    for (const k of ['data', 'records']) if (Array.isArray(o[k])) return JSON.stringify({ ...o, [k]: grow(o[k] as unknown[]) });
    return JSON.stringify({ ...o, padding: 'x'.repeat(HUGE) });
  }
  return JSON.stringify({ padding: 'x'.repeat(HUGE) });
}
