// Veeam: Open Session Log — the log of a job, sync or task session in a read-only tab that follows
// the session live while it runs.
import * as vscode from 'vscode';
import { abortOn } from './cancel';
import { pickTarget } from './pick';
import type { Command } from './context';

export const openSessionLog: Command = {
  id: 'veeam.openSessionLog',
  async run(ctx, arg) {
    const node = await pickTarget(ctx, arg, 'openLog', 'show its log');
    if (!node) { return undefined; }
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Veeam: reading the log of ${node.entity.name}`, cancellable: true },
      (_p, token) => ctx.logs.open(node, abortOn(token)));
  },
};
