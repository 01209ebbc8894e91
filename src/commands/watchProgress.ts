// Shared by Sync and Start Job: one start per repository or job, then a cancellable
// notification that follows the watched work. Cancelling stops watching; the server's work goes on.
import * as vscode from 'vscode';
import { Entity } from '../api/model';
import type { EntityNode } from '../tree/nodes';
import { progressText } from '../api/format';
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
        owner, parent: owner,
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

const starting = new Set<string>();

export interface StartOptions {
  /** Shown when the owner already runs (a second click starts nothing). */
  busy: string;
  /** Asked after the busy check; false cancels. */
  confirm?: () => Promise<boolean>;
  /** Title of the notification while the POST is sent. */
  starting: string;
  /** Sends the POST (never retried, never aborted) and returns the work to watch. */
  start: (report: (message: string) => void) => Promise<Entity>;
  /** Title of the notification that follows the work. */
  watching: string;
}

/** How a start went: the owner was busy (its running work, if known), the user declined, or it started. */
export type Begun =
  | { state: 'busy'; work?: Entity }
  | { state: 'declined' }
  | { state: 'started'; session: EntityNode; done: Thenable<Entity | undefined> };

/**
 * Start work on `owner` once: a second call while it starts or runs reveals the running work and
 * starts nothing. Resolves as soon as the work runs (the chat tools answer then); `done` follows it.
 */
export async function beginOnce(ctx: Ctx, owner: EntityNode, o: StartOptions): Promise<Begun> {
  const work = ctx.watcher.runningFor(owner.id);
  const running = work && ctx.tree.nodeById(work.id);
  if (work || starting.has(owner.id)) {
    if (running) { await ctx.view.reveal(running, { select: true, focus: false }); }
    vscode.window.setStatusBarMessage(`Veeam: ${o.busy}`, 4000);
    return { state: 'busy', work: work?.entity };
  }
  if (o.confirm && !(await o.confirm())) { return { state: 'declined' }; }
  starting.add(owner.id);
  let session: EntityNode;
  try {
    const e = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: o.starting },
      (progress) => o.start((message) => progress.report({ message })));
    session = ctx.tree.adopt(owner, e);
  } finally {
    starting.delete(owner.id);
  }
  ctx.log.info(`${o.watching.replace(/^Veeam: /, '')}: started (${session.entity.type} ${session.entity.id}).`);
  // The job (or repository) runs now: read it again so its menus offer Stop, not Start (one GET).
  void ctx.connections.client(owner.server).refresh(owner.entity).then((e) => ctx.tree.update(owner, e), () => undefined);
  return { state: 'started', session, done: watchWithProgress(ctx, session, owner, o.watching) };
}

/** Start work on `owner` once (see beginOnce) and follow it to its end. */
export async function startOnce(ctx: Ctx, owner: EntityNode, o: StartOptions): Promise<Entity | undefined> {
  const b = await beginOnce(ctx, owner, o);
  return b.state === 'started' ? b.done : b.state === 'busy' ? b.work : undefined;
}
