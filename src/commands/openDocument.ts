// Veeam: Open as JSON / Open as XML — a read-only tab with the server's payload.
import * as vscode from 'vscode';
import { EntityNode } from '../tree/nodes';
import { abortOn } from './cancel';
import { pickEntity } from './pick';
import type { Command, Ctx } from './context';

async function open(ctx: Ctx, arg: unknown, format: 'json' | 'xml') {
  // A node from the tree, else the selected one, else a picker over the repositories.
  const selected = ctx.view.selection.find((n): n is EntityNode => n instanceof EntityNode && n.entity.actions.includes('openJson'));
  const node = arg instanceof EntityNode ? arg
    : !arg && selected ? selected
    : await pickEntity(ctx, arg, ['repository'], 'repos', 'repository');
  if (!node) { return; }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Veeam: opening ${node.entity.name}`, cancellable: true },
    (_p, token) => ctx.docs.open(node, format, abortOn(token)));
}

export const openJson: Command = { id: 'veeam.openJson', run: (ctx, arg) => open(ctx, arg, 'json') };
export const openXml: Command = { id: 'veeam.openXml', run: (ctx, arg) => open(ctx, arg, 'xml') };
