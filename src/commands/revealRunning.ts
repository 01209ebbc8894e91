// Clicking the status-bar item reveals the running work (a picker when several run).
import * as vscode from 'vscode';
import type { Command } from './context';

export const revealRunning: Command = {
  id: 'veeam.revealRunning',
  async run(ctx) {
    const all = ctx.watcher.running();
    if (!all.length) { return; }
    const node = all.length === 1 ? all[0] : (await vscode.window.showQuickPick(
      all.map((n) => ({ label: n.entity.name, description: `${n.entity.description ?? ''} · ${n.server.def.name}`, n })),
      { title: 'Veeam: Running work' }))?.n;
    if (node) { await ctx.view.reveal(node, { select: true, focus: true, expand: false }); }
  },
};
