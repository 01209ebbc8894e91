// Veeam: Copy ID — the API id of any entity node.
import * as vscode from 'vscode';
import { EntityNode } from '../tree/nodes';
import type { Command } from './context';

export const copyId: Command = {
  id: 'veeam.copyId',
  async run(ctx, node) {
    const n = node instanceof EntityNode ? node : ctx.view.selection.find((s): s is EntityNode => s instanceof EntityNode);
    if (!n?.entity.id) { void vscode.window.showInformationMessage('Veeam: Select an item with an ID first.'); return; }
    await vscode.env.clipboard.writeText(n.entity.id);
    vscode.window.setStatusBarMessage(`$(check) Copied ${n.entity.id}`, 3000);
    return n.entity.id;
  },
};
