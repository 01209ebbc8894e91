// Shared by Sync and Start Job: a cancellable notification that follows the watched work.
// Cancelling stops watching; the server's work goes on.
import * as vscode from 'vscode';
import { Entity } from '../api/model';
import type { EntityNode } from '../tree/nodes';
import { progressText } from '../ui/progress';
import type { Ctx } from './context';

export function watchWithProgress(ctx: Ctx, node: EntityNode, owner: EntityNode, title: string): Thenable<Entity | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
    new Promise<Entity | undefined>((resolve) => {
      let last = 0;
      const report = (e: Entity) => {
        const pct = e.progress?.percent;
        if (pct !== undefined && pct >= last) { progress.report({ increment: pct - last, message: `${Math.round(pct)}%` }); last = pct; }
        else { progress.report({ message: progressText(e) }); }
      };
      report(node.entity);
      ctx.watcher.watch(node, {
        owner,
        onUpdate: report,
        onDone: (e, error) => {
          if (error) { void vscode.window.showWarningMessage(`Veeam: ${error}`); }
          else if (e?.status === 'failed') { void vscode.window.showErrorMessage(`Veeam: ${owner.entity.name}: ${e.description ?? 'failed'}`); }
          resolve(e);
        },
      });
      token.onCancellationRequested(() => {
        ctx.watcher.unwatch(node.id);
        ctx.log.info(`Stopped watching ${owner.entity.name}; the work goes on on the server.`);
        resolve(undefined);
      });
    }));
}
