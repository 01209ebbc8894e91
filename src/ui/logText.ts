// The text of a session-log document: a header, then one line per record (marker, status, time,
// title; the detail indented below), oldest first. Pure, so the bench can time it in Node.
import type { Entity, LogLine } from '../api/model';

const MARK: Record<LogLine['status'], string> = { failed: '✖ Failed ', warning: '⚠ Warning', success: '✔ Success', info: '  Info   ', running: '… Running' };

export function renderLog(item: { entity: Entity; server: { def: { name: string } } }, records: LogLine[],
  state: { note?: string; running: boolean; error?: string }): string {
  const e = item.entity;
  const lines = [...records].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? '') || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  const failed = lines.filter((l) => l.status === 'failed').length;
  const warned = lines.filter((l) => l.status === 'warning').length;
  const head = [
    `# ${e.name} — ${item.server.def.name}`,
    `# ${e.description ?? ''}`.trimEnd(),
    ...(state.note ? [`# ${state.note}`] : []),
    `# ${lines.length} records, ${failed} failed, ${warned} warning${state.running ? ' — live: following while the session runs' : ''}`,
    ...(state.error ? [`# ✖ Failed to read the log: ${state.error}`] : []),
    '',
  ];
  const body = lines.map((l) => {
    const row = `${MARK[l.status]}  ${stamp(l.time)}  ${l.title.replace(/\s*\n\s*/g, ' ')}`;
    return l.detail ? `${row}\n${' '.repeat(31)}${l.detail.replace(/\s*\n\s*/g, ' ')}` : row;
  });
  return [...head, ...body, ''].join('\n');
}

function stamp(iso?: string): string {
  if (!iso) { return '                   '; }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) { return iso.slice(0, 19).padEnd(19); }
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
