// Every command goes through one wrapper: errors are logged and shown once with "Show Log",
// cancellations are silent, a request the server declined by design (nothing to do) is a warning,
// and the handler's result is returned (tests use it).
import * as vscode from 'vscode';
import { toVeeamError } from '../api/errors';
import type { Command, Ctx } from './context';

export function registerCommands(ctx: Ctx, commands: Command[]): vscode.Disposable[] {
  return commands.map((c) => vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
    try {
      return await c.run(ctx, ...args);
    } catch (e) {
      const err = toVeeamError(e);
      if (err.kind === 'cancelled') { return undefined; }
      if (err.extra.declined) {
        ctx.log.warn(`${c.id}: ${err.message}`);
        void vscode.window.showWarningMessage(`Veeam: ${err.message}`);
        return undefined;
      }
      ctx.log.error(`${c.id}: ${err.message}`);
      void vscode.window.showErrorMessage(`Veeam: ${err.message}`, 'Show Log').then((a) => {
        if (a) { ctx.log.channel.show(true); }
      });
      return undefined;
    }
  }));
}
