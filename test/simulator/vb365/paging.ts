// The PageOfREST<T> envelope and its query parameters (offset, limit, v7+ setId).
import * as crypto from 'node:crypto';
import { href, type ViewCtx } from './views';

export class BadRequest extends Error {}

export interface PageArgs { offset: number; limit: number; setId?: string }

function intParam(q: URLSearchParams, name: string, dflt: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) throw new BadRequest(`The value '${raw}' is not valid for ${name}.`);
  return Number(raw);
}

/**
 * offset defaults to 0, limit to 30 and is capped at 10000, or at Vb365Options.maxPageSize when set lower (a limit
 * of 0 is rejected; inferred). The envelope's `limit` is the capped one; `_links.next` says that more follow.
 */
export function pageArgs(c: ViewCtx, q: URLSearchParams): PageArgs {
  const offset = intParam(q, 'offset', 0);
  const limit = Math.min(c.maxPageSize ?? 10_000, 10_000, intParam(q, 'limit', 30));
  if (limit < 1) throw new BadRequest('The limit parameter must be greater than 0.');
  const setId = c.v >= 7 ? q.get('setId') || crypto.randomUUID() : undefined;
  return { offset, limit, setId };
}

/**
 * Builds the envelope. `rel` is the collection path without version ("JobSessions"); `q` keeps the caller's
 * filters in the links. `_links.next` appears only when another page exists; there is no total count.
 */
export function page<T>(c: ViewCtx, rel: string, q: URLSearchParams, items: T[], map: (x: T) => unknown): Record<string, unknown> {
  const a = pageArgs(c, q);
  const slice = items.slice(a.offset, a.offset + a.limit);
  const link = (offset: number): { href: string } => {
    const p = new URLSearchParams(q);
    p.set('offset', String(offset));
    p.set('limit', String(a.limit));
    if (a.setId) p.set('setId', a.setId);
    return href(c, `${rel}?${p.toString()}`);
  };
  const links: Record<string, { href: string }> = { self: link(a.offset), first: link(0) };
  if (a.offset > 0) links.prev = link(Math.max(0, a.offset - a.limit));
  if (a.offset + a.limit < items.length) links.next = link(a.offset + a.limit);
  const out: Record<string, unknown> = { offset: a.offset, limit: a.limit };
  if (a.setId) out.setId = a.setId;
  out.results = slice.map(map);
  out._links = links;
  return out;
}

/** Bare arrays (pre-v8 collections, v4 job sessions) ignore paging unless the caller asks for it (inferred). */
export function bare<T>(q: URLSearchParams, items: T[], map: (x: T) => unknown): unknown[] {
  const offset = q.has('offset') ? Number(q.get('offset')) || 0 : 0;
  const limit = q.has('limit') ? Number(q.get('limit')) || items.length : items.length;
  return items.slice(offset, offset + limit).map(map);
}
