// Veeam: Copy ID — the API id of any entity node.
import * as vscode from 'vscode';
import { pickTarget } from './pick';
import type { Command } from './context';

export const copyId: Command = {
  id: 'veeam.copyId',
  async run(ctx, arg) {
    const n = await pickTarget(ctx, arg, 'copyId', 'copy its ID');
    if (!n?.entity.id) { return; }
    await vscode.env.clipboard.writeText(n.entity.id);
    vscode.window.setStatusBarMessage(`$(check) Copied ${n.entity.id}`, 3000);
    return n.entity.id;
  },
};
