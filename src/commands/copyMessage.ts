// Veeam: Copy Failure Message — the server's own message of a failed or warning session or job.
import * as vscode from 'vscode';
import { pickTarget } from './pick';
import type { Command } from './context';

export const copyMessage: Command = {
  id: 'veeam.copyMessage',
  async run(ctx, arg) {
    const n = await pickTarget(ctx, arg, 'copyMessage', 'copy its message');
    if (!n?.entity.message) { return undefined; }
    await vscode.env.clipboard.writeText(n.entity.message);
    vscode.window.setStatusBarMessage('$(check) Copied the failure message', 3000);
    return n.entity.message;
  },
};
