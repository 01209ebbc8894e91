// Veeam: Filter Sessions… — result, time window and an optional VM or job name, per folder,
// kept across reloads. Veeam: Clear Filter removes it.
import * as vscode from 'vscode';
import { SessionFilter } from '../api/model';
import { EntityNode } from '../tree/nodes';
import { pickTarget } from './pick';
import type { Command } from './context';

const HOUR = 3_600_000;

export const filterSessions: Command = {
  id: 'veeam.filterSessions',
  async run(ctx, arg, preset) {
    const node = await pickTarget(ctx, arg, 'filter', 'filter its sessions');
    if (!node) { return; }
    if (preset && typeof preset === 'object') {
      // A filter given by a caller (keybinding, another extension, tests) skips the questions.
      await ctx.filters.set(node.id, preset as SessionFilter);
      ctx.tree.refresh(node);
      return preset;
    }
    const current = ctx.filters.get(node.id) ?? {};
    const result = await vscode.window.showQuickPick(
      [{ label: 'Any result', v: undefined }, { label: 'Success', v: 'Success' }, { label: 'Warning', v: 'Warning' }, { label: 'Failed', v: 'Failed' }] as const,
      { title: `Filter ${node.entity.name} (1/3): result`, placeHolder: current.result ?? 'Any result' });
    if (!result) { return; }
    const windowPick = await vscode.window.showQuickPick(
      [{ label: 'Any time', h: 0 }, { label: 'Last 24 hours', h: 24 }, { label: 'Last 7 days', h: 24 * 7 }, { label: 'Last 30 days', h: 24 * 30 }, { label: 'Custom…', h: -1 }],
      { title: `Filter ${node.entity.name} (2/3): time window` });
    if (!windowPick) { return; }
    const f: SessionFilter = { result: result.v };
    if (windowPick.h > 0) { f.since = new Date(Date.now() - windowPick.h * HOUR).toISOString(); }
    if (windowPick.h < 0) {
      const range = await vscode.window.showInputBox({
        title: 'Custom time window (UTC)', prompt: 'From and optionally to, e.g. 2026-11-01 or 2026-11-01..2026-11-15',
        validateInput: (v) => parseRange(v) ? undefined : 'Use YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD',
      });
      if (range === undefined) { return; }
      Object.assign(f, parseRange(range));
    }
    const name = await vscode.window.showInputBox({
      title: `Filter ${node.entity.name} (3/3): VM or job name (optional)`, value: current.name ?? '', prompt: 'Exact name; empty for all',
    });
    if (name === undefined) { return; }
    if (name.trim()) { f.name = name.trim(); }
    await ctx.filters.set(node.id, f);
    ctx.tree.refresh(node);
    return f;
  },
};

export const clearFilter: Command = {
  id: 'veeam.clearFilter',
  async run(ctx, arg) {
    const node = arg instanceof EntityNode ? arg : ctx.view.selection.find((n): n is EntityNode => n instanceof EntityNode && !!ctx.filters.get(n.id));
    if (!node) { return; }
    await ctx.filters.set(node.id, undefined);
    ctx.tree.refresh(node);
  },
};

export function parseRange(v: string): { since: string; until?: string } | undefined {
  const m = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.\s*(\d{4}-\d{2}-\d{2}))?\s*$/.exec(v);
  if (!m) { return undefined; }
  const since = new Date(`${m[1]}T00:00:00Z`);
  const until = m[2] ? new Date(`${m[2]}T23:59:59Z`) : undefined;
  if (Number.isNaN(since.getTime()) || (until && Number.isNaN(until.getTime()))) { return undefined; }
  return { since: since.toISOString(), until: until?.toISOString() };
}
