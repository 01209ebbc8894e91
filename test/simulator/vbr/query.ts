// Collection query parameters: skip/limit, orderColumn/orderAsc and the *Filter parameters, per revision.
// Parameter names are case-sensitive and unknown ones are ignored (ASP.NET model binding); enum values bind
// case-insensitively; a bad value is 400 UnexpectedContent. Array filters (1.3) repeat the key
// (resultFilter=Failed&resultFilter=Warning) and match any value; 1.2 takes one value, so a repeated key is a 400.
import type { Rev } from './revisions';

export class BadQuery extends Error {}

export type FilterKind =
  | { kind: 'enum'; values: readonly string[]; array13?: boolean }   // closed set: an unknown value is a 400
  | { kind: 'ident'; array13?: boolean }                               // open set (e.g. ESessionType): unknown values match nothing
  | { kind: 'glob' } | { kind: 'string' } | { kind: 'uuid' } | { kind: 'date' } | { kind: 'bool' } | { kind: 'int' } | { kind: 'number' };

export type FilterValue = string[] | string | number | boolean;

export interface Filter<T> {
  type: FilterKind;
  /** Absent = validated, not applied. */
  match?: (x: T, v: FilterValue) => boolean;
  v13?: boolean;
}

export type SortKey = string | number | boolean | null | undefined;

export interface ListDef<T> {
  filters: Record<string, Filter<T>>;
  columns: Record<string, (x: T) => SortKey>;
  /** Columns that exist only in 1.3 revisions. */
  columns13?: string[];
  defaultOrder?: { column: string; asc: boolean };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const bad = (name: string, raw: string): BadQuery => new BadQuery(`One or more request parameters are not valid: the value '${raw}' is not valid for ${name}.`);

/** Glob with `*` only, whole-string, case-insensitive (the nameFilter rule). */
export function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'is');
  return re.test(text);
}

function one(q: URLSearchParams, name: string): string | undefined {
  const all = q.getAll(name);
  if (all.length > 1) throw new BadQuery(`One or more request parameters are not valid: ${name} accepts a single value.`);
  return all[0];
}

export function intParam(q: URLSearchParams, name: string, min = 0): number | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > 2_147_483_647) throw bad(name, raw);
  return Number(raw);
}

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^(true|false)$/i.test(raw)) throw bad(name, raw);
  return raw.toLowerCase() === 'true';
}

function parse(name: string, raw: string, t: FilterKind): FilterValue {
  switch (t.kind) {
    case 'enum': {
      const hit = t.values.find((v) => v.toLowerCase() === raw.toLowerCase());
      if (!hit) throw bad(name, raw);
      return hit;
    }
    case 'ident': if (!/^[A-Za-z0-9_]+$/.test(raw)) throw bad(name, raw); return raw;
    case 'uuid': if (!UUID.test(raw)) throw bad(name, raw); return raw.toLowerCase();
    case 'date': { const t2 = Date.parse(raw); if (Number.isNaN(t2)) throw bad(name, raw); return t2; }
    case 'bool': if (!/^(true|false)$/i.test(raw)) throw bad(name, raw); return raw.toLowerCase() === 'true';
    case 'int': if (!/^-?\d+$/.test(raw)) throw bad(name, raw); return Number(raw);
    case 'number': if (Number.isNaN(Number(raw)) || raw.trim() === '') throw bad(name, raw); return Number(raw);
    default: return raw;
  }
}

/** The parsed value of one filter, or undefined when absent. Arrays for 1.3 array filters. */
export function filterValue(rev: Rev, q: URLSearchParams, name: string, t: FilterKind): FilterValue | undefined {
  const isArray = rev.v13 && 'array13' in t && t.array13;
  if (isArray) {
    const all = q.getAll(name).filter((x) => x !== '');
    return all.length ? all.map((raw) => parse(name, raw, t) as string) : undefined;
  }
  const raw = one(q, name);
  if (raw === undefined || raw === '') return undefined;
  return parse(name, raw, t);
}

/** Case-insensitive equality against a single value or any of an array's values. */
export function anyOf(v: FilterValue, actual: string | undefined): boolean {
  const list = Array.isArray(v) ? v : [String(v)];
  return actual !== undefined && list.some((x) => x.toLowerCase() === actual.toLowerCase());
}

function compare(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b, 'en', { sensitivity: 'base' });
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface Page<T> { items: T[]; pagination: Record<string, number | null> }

/**
 * Filters, sorts and pages (filters and sort apply before skip/limit). 1.3: limit defaults to 200 and pagination always
 * echoes skip/limit; 1.2 declares no default, so everything comes back and skip/limit are null when not sent (as in the
 * 1.2 examples).
 */
export function list<T>(rev: Rev, q: URLSearchParams, items: T[], def: ListDef<T>): Page<T> {
  let out = items;
  for (const [name, f] of Object.entries(def.filters)) {
    if (f.v13 && !rev.v13) continue;
    const v = filterValue(rev, q, name, f.type);
    if (v === undefined || !f.match) continue;
    const m = f.match;
    out = out.filter((x) => m(x, v));
  }
  const colRaw = one(q, 'orderColumn');
  const asc = boolParam(q, 'orderAsc');
  let col = def.defaultOrder?.column;
  let ascending = def.defaultOrder?.asc ?? true;
  if (colRaw !== undefined && colRaw !== '') {
    const known = Object.keys(def.columns).filter((c) => rev.v13 || !(def.columns13 ?? []).includes(c));
    const hit = known.find((c) => c.toLowerCase() === colRaw.toLowerCase());
    if (!hit) throw bad('orderColumn', colRaw);
    col = hit;
    ascending = asc ?? true;
  } else if (asc !== undefined) ascending = asc;
  if (col) {
    const key = def.columns[col];
    out = [...out].sort((a, b) => (ascending ? 1 : -1) * compare(key(a), key(b)));
  }
  const skip = intParam(q, 'skip');
  const limit = intParam(q, 'limit');
  const from = skip ?? 0;
  const max = limit ?? (rev.v13 ? 200 : Number.MAX_SAFE_INTEGER);
  const page = out.slice(from, from + max);
  const pagination: Record<string, number | null> = { total: out.length, count: page.length };
  if (rev.v13) Object.assign(pagination, { skip: from, limit: limit ?? 200 });
  else Object.assign(pagination, { skip: skip ?? null, limit: limit ?? null });
  return { items: page, pagination };
}
