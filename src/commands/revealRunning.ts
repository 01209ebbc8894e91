// Clicking the status-bar item reveals the running work (a picker when several run).
import * as vscode from 'vscode';
import { workLabel } from '../ui/statusBar';
import type { Command } from './context';

export const revealRunning: Command = {
  id: 'veeam.revealRunning',
  async run(ctx) {
    const all = ctx.watcher.running();
    if (!all.length) { return; }
    const w = all.length === 1 ? all[0] : (await vscode.window.showQuickPick(
      all.map((w) => ({ label: workLabel(w), description: `${w.item.entity.description ?? ''} · ${w.item.server.def.name}`, w })),
      { title: 'Veeam: Running work' }))?.w;
    const node = w && ctx.tree.nodeById(w.item.id);
    if (node) { await ctx.view.reveal(node, { select: true, focus: true, expand: false }); }
  },
};
