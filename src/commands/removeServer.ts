// Veeam: Remove Server… — confirms, logs out, deletes the password, removes the definition.
import { pickServer } from './pick';
import type { Command } from './context';

export const removeServer: Command = {
  id: 'veeam.removeServer',
  async run(ctx, arg) {
    const node = await pickServer(ctx, arg);
    if (!node) { return; }
    const { def, key } = node.server;
    const ok = await ctx.prompts.confirm(`Remove the Veeam server "${def.name}"?`,
      `${def.url} (${def.username}). Its stored password is deleted too. Nothing changes on the server.`, 'Remove');
    if (!ok) { return; }
    for (const w of ctx.watcher.running()) { if (w.item.server.key === key) { ctx.watcher.unwatch(w.item.id); } }
    await ctx.connections.forget(key);
    await ctx.secrets.delete(key);
    await ctx.store.remove(key);
    ctx.log.info(`Removed server ${def.name} and its stored password.`);
  },
};
