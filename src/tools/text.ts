// What the chat tools say, as plain functions: input parsing (times, names), matching, compact tables
// and error texts a model can relay. No vscode here, so it is tested in plain Node (test/api/tools-text).
import type { Entity, EntityStatus } from '../api/model';
import type { VeeamError } from '../api/errors';

/** A mistake in the tool's input: answered as text, nothing is sent. */
export class InputError extends Error {}

const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A point in time from the model: relative ("24h", "90m", "7d", "2w", "now") or ISO 8601 ("2026-11-23",
 * "2026-11-23T18:00", "2026-11-23T18:00:00Z"). A date without a time is local midnight (what a person means
 * by "since Monday"); a time without a zone is local time.
 */
export function parseWhen(v: string | undefined, now: number, field: string): number | undefined {
  if (v === undefined || v === null || String(v).trim() === '') { return undefined; }
  const s = String(v).trim();
  if (/^now$/i.test(s)) { return now; }
  const rel = /^-?\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)(?:\s*ago)?$/i.exec(s);
  if (rel) { return now - Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()]; }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (date) { return new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3])).getTime(); }
  const t = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(s) ? Date.parse(s.replace(' ', 'T')) : NaN;
  if (!Number.isFinite(t)) {
    throw new InputError(`"${field}" must be ISO 8601 (2026-11-23, 2026-11-23T18:00, 2026-11-23T18:00:00Z) or relative (24h, 90m, 7d, 2w), not "${s}".`);
  }
  return t;
}

/** An ISO time to the second, in UTC: '2026-11-23T18:00:05Z' ('' when missing). */
export function iso(v: string | number | undefined): string {
  if (v === undefined || v === '') { return ''; }
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z') : String(v);
}

/** The local offset, for headers ("UTC+01:00"): a model turning "last night" into times needs it. */
export function utcOffset(now: number): string {
  const m = -new Date(now).getTimezoneOffset();
  const p = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `UTC${m >= 0 ? '+' : '-'}${p(m / 60)}:${p(m % 60)}`;
}

/** The result words the tools use (and accept). */
export type ResultWord = 'failed' | 'warning' | 'success' | 'running' | 'stopped' | 'other';
export const RESULT_WORDS: readonly ResultWord[] = ['failed', 'warning', 'success', 'running', 'stopped'];

export function resultOf(status: EntityStatus | undefined): ResultWord {
  switch (status) {
    case 'failed': return 'failed';
    case 'warning': return 'warning';
    case 'success': return 'success';
    case 'running': case 'queued': return 'running';
    case 'stopped': return 'stopped';
    default: return 'other';
  }
}

/** `result` as the model sent it: one word or a list; unknown words are an input error. */
export function parseResults(v: unknown): Set<ResultWord> | undefined {
  if (v === undefined || v === null || v === '') { return undefined; }
  const list = (Array.isArray(v) ? v : String(v).split(/[,\s]+/)).map((x) => String(x).trim().toLowerCase()).filter(Boolean);
  const alias: Record<string, ResultWord> = { fail: 'failed', error: 'failed', failure: 'failed', warn: 'warning', succeeded: 'success', ok: 'success' };
  const out = new Set<ResultWord>();
  for (const w of list) {
    const r = (RESULT_WORDS as string[]).includes(w) ? w as ResultWord : alias[w];
    if (!r) { throw new InputError(`"result" takes ${RESULT_WORDS.join(', ')}; "${w}" is none of them.`); }
    out.add(r);
  }
  return out.size ? out : undefined;
}

/** A bounded integer from the model (strings like "20" are accepted). */
export function intIn(v: unknown, dflt: number, min: number, max: number, field: string): number {
  if (v === undefined || v === null || v === '') { return dflt; }
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n)) { throw new InputError(`"${field}" must be a number from ${min} to ${max}.`); }
  return Math.min(max, Math.max(min, Math.round(n)));
}

export interface Named { name: string; url: string }

/**
 * The servers a tool input means: all when `q` is empty, else the one whose name matches (case-insensitive),
 * else the one whose host (or URL) matches, else the only one whose name contains `q`.
 */
export function matchServers<T extends { def: Named }>(servers: T[], q: string | undefined): T[] {
  if (q === undefined || q === null || String(q).trim() === '' || /^(all|\*)$/i.test(String(q).trim())) { return servers; }
  const s = String(q).trim().toLowerCase();
  const host = (u: string) => { try { return new URL(u).host.toLowerCase(); } catch { return u.toLowerCase(); } };
  const tries: ((x: T) => boolean)[] = [
    (x) => x.def.name.toLowerCase() === s,
    (x) => host(x.def.url) === s || x.def.url.toLowerCase().replace(/\/+$/, '') === s.replace(/\/+$/, '') || host(x.def.url).split(':')[0] === s,
    (x) => x.def.name.toLowerCase().includes(s),
  ];
  for (const t of tries) {
    const m = servers.filter(t);
    if (m.length === 1 || (m.length > 1 && t === tries[0])) { return m; }
    if (m.length > 1) { throw new InputError(`"${q}" matches several servers: ${m.map((x) => `"${x.def.name}"`).join(', ')}. Use the exact name.`); }
  }
  throw new InputError(`No Veeam server is named "${q}". ${serverList(servers)}`);
}

export function serverList(servers: { def: Named }[]): string {
  return servers.length ? `Configured servers: ${servers.map((x) => `"${x.def.name}"`).join(', ')}.` : 'No Veeam servers are configured yet; ask the user to run "Veeam: Add Server…".';
}

/** The entity meant by `q`: the one with this id, else the one with this name (case-insensitive). */
export function matchEntity<T extends { entity: Entity }>(items: T[], q: string): { found?: T; ambiguous?: T[] } {
  const s = q.trim().toLowerCase();
  const byId = items.filter((n) => n.entity.id?.toLowerCase() === s);
  if (byId.length === 1) { return { found: byId[0] }; }
  const byName = items.filter((n) => n.entity.name.toLowerCase() === s);
  if (byName.length === 1) { return { found: byName[0] }; }
  if (byName.length > 1) { return { ambiguous: byName }; }
  return {};
}

/** A cell: one line, no column separator, at most `max` characters. */
export function cell(v: unknown, max = 300): string {
  const s = v === undefined || v === null ? '' : String(v).replace(/\s*[\r\n]+\s*/g, ' ').replace(/\|/g, '/').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A compact pipe table: a header row, then one row per item. */
export function table(headers: string[], rows: unknown[][]): string {
  return [headers.join(' | '), ...rows.map((r) => r.map((c) => cell(c)).join(' | '))].join('\n');
}

/** What went wrong talking to a server, with what the user can do about it. Never a secret (VeeamError messages carry none). */
export function errorText(serverName: string, e: VeeamError): string {
  switch (e.kind) {
    case 'auth':
      return `${serverName}: logon failed (${e.message}) Ask the user to run "Veeam: Enter Password…" for ${serverName}; the password is only kept in VS Code's secret storage, never give or ask for it in chat.`;
    case 'certificate':
      return `${serverName}: the server's certificate is not trusted (${e.message}) Ask the user to run "Veeam: Trust Certificate…" for ${serverName} after checking the fingerprint.`;
    case 'network': return `${serverName}: unreachable (${e.message})`;
    case 'timeout': return `${serverName}: did not answer in time (${e.message})`;
    case 'http': return `${serverName}: the server answered with an error: ${e.message}`;
    case 'malformed': return `${serverName}: the server's answer could not be read: ${e.message}`;
    default: return `${serverName}: ${e.message}`;
  }
}

/** Cut a result to roughly `budget` tokens (4 characters each), keeping whole lines and saying what was left out. */
export function fitBudget(text: string, budgetTokens: number | undefined): string {
  if (!budgetTokens || budgetTokens <= 0 || text.length <= budgetTokens * 4) { return text; }
  const max = Math.max(200, budgetTokens * 4 - 80);
  const lines = text.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const l of lines) { if (size + l.length + 1 > max) { break; } kept.push(l); size += l.length + 1; }
  return `${kept.join('\n')}\n… ${lines.length - kept.length} more lines left out to fit the token budget; narrow the query (server, since, result, job, limit).`;
}
