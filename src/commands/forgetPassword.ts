// Veeam: Forget Password — deletes the stored password and logs out.
import * as vscode from 'vscode';
import { pickServer } from './pick';
import type { Command } from './context';

export const forgetPassword: Command = {
  id: 'veeam.forgetPassword',
  async run(ctx, arg) {
    const node = await pickServer(ctx, arg);
    if (!node) { return; }
    await ctx.connections.forget(node.server.key);
    await ctx.secrets.delete(node.server.key);
    ctx.log.info(`Forgot the password of ${node.server.def.name}.`);
    ctx.tree.refresh(node);
    void vscode.window.showInformationMessage(`Veeam: The password for ${node.server.def.name} was deleted.`);
  },
};
