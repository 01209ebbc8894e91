// Builder for the EM query service filter (`GET /api/query?…&filter=`):
//   `;` = AND, `,` = OR, parentheses, operators == != < > <= >=,
//   double-quoted values with a literal `"` written as `""`, dates as UTC ISO strings.
// The result is the raw filter text; the caller URL-encodes it once (encodeURIComponent).
import type { SessionFilter } from '../model';

export type FilterOp = '==' | '!=' | '<' | '>' | '<=' | '>=';
export type FilterValue = string | number | boolean | Date;

export type FilterExpr =
  | { field: string; op: FilterOp; value: FilterValue }
  | { and: FilterExpr[] }
  | { or: FilterExpr[] };

const FIELD = /^[A-Za-z_][A-Za-z0-9_.]*$/;
/** Values that can go unquoted: letters, digits and `_ . -` (no separators, quotes, spaces or colons). */
const BARE = /^[A-Za-z0-9_.-]+$/;

export function cond(field: string, op: FilterOp, value: FilterValue): FilterExpr {
  if (!FIELD.test(field)) { throw new Error(`Invalid filter field name "${field}".`); }
  return { field, op, value };
}
export const eq = (field: string, value: FilterValue): FilterExpr => cond(field, '==', value);
export const and = (...parts: (FilterExpr | undefined)[]): FilterExpr | undefined => join('and', parts);
export const or = (...parts: (FilterExpr | undefined)[]): FilterExpr | undefined => join('or', parts);

function join(kind: 'and' | 'or', parts: (FilterExpr | undefined)[]): FilterExpr | undefined {
  const list = parts.filter((p): p is FilterExpr => p !== undefined);
  if (list.length === 0) { return undefined; }
  if (list.length === 1) { return list[0]; }
  return kind === 'and' ? { and: list } : { or: list };
}

/** `"…"` with every `"` doubled. */
export function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** UTC ISO without milliseconds, e.g. 2026-11-01T00:00:00Z. */
export function utc(d: Date | string): string {
  const t = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(t.getTime())) { throw new Error(`Invalid date "${String(d)}" in a filter.`); }
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatValue(v: FilterValue): string {
  if (v instanceof Date) { return quote(utc(v)); }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) { throw new Error('Invalid number in a filter.'); }
    return String(v);
  }
  if (typeof v === 'boolean') { return v ? 'true' : 'false'; }
  return BARE.test(v) ? v : quote(v);
}

/** The filter text; mixed AND/OR is always parenthesised, since EM does not document precedence. */
export function formatFilter(e: FilterExpr): string {
  const inner = (x: FilterExpr): string => ('field' in x ? formatFilter(x) : `(${formatFilter(x)})`);
  if ('and' in e) { return e.and.map(inner).join(';'); }
  if ('or' in e) { return e.or.map(inner).join(','); }
  return `${e.field}${e.op}${formatValue(e.value)}`;
}

/** The SessionFilter of the UI as an EM filter; `name` matches the job name or the VM name. */
export function sessionFilterExpr(f: SessionFilter | undefined, nameField: 'JobName' | 'VmDisplayName'): FilterExpr | undefined {
  if (!f) { return undefined; }
  return and(
    f.result ? eq('Result', f.result) : undefined,
    f.since ? cond('CreationTime', '>=', new Date(f.since)) : undefined,
    f.until ? cond('CreationTime', '<=', new Date(f.until)) : undefined,
    f.name ? eq(nameField, f.name) : undefined,
  );
}
