// Veeam: Enter Password… — asks, stores in SecretStorage, reconnects.
import { pickServer } from './pick';
import type { Command } from './context';

export const enterPassword: Command = {
  id: 'veeam.enterPassword',
  async run(ctx, arg) {
    const node = await pickServer(ctx, arg);
    if (!node) { return; }
    const pw = await ctx.prompts.password(node.server.def);
    if (!pw) { return; }
    await ctx.secrets.set(node.server.key, pw);
    await ctx.connections.forget(node.server.key);
    ctx.tree.refresh(node);
  },
};
