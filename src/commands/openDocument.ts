// Veeam: Open as JSON / Open as XML — a read-only tab with the server's payload.
import * as vscode from 'vscode';
import { abortOn } from './cancel';
import { pickTarget } from './pick';
import type { Command, Ctx } from './context';

async function open(ctx: Ctx, arg: unknown, format: 'json' | 'xml') {
  // A node from the tree, else the selected one, else a picker over the kind's targets.
  const node = await pickTarget(ctx, arg, format === 'json' ? 'openJson' : 'openXml', `open as ${format.toUpperCase()}`);
  if (!node) { return; }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Veeam: opening ${node.entity.name}`, cancellable: true },
    (_p, token) => ctx.docs.open(node, format, abortOn(token)));
}

export const openJson: Command = { id: 'veeam.openJson', run: (ctx, arg) => open(ctx, arg, 'json') };
export const openXml: Command = { id: 'veeam.openXml', run: (ctx, arg) => open(ctx, arg, 'xml') };
