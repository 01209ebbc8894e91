// Veeam: Stop Job — a running job or session: confirmed (the running session ends), one POST (never
// retried); the tree and the status bar follow the session to its end.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import { pickTarget } from './pick';
import { jobOf, where } from './where';
import type { EntityNode } from '../tree/nodes';
import type { Command, Ctx } from './context';

export const stopJob: Command = {
  id: 'veeam.stopJob',
  async run(ctx, arg): Promise<Entity | undefined> {
    const node = await pickTarget(ctx, arg, 'stopJob', 'stop');
    if (!node) { return undefined; }
    const client = ctx.connections.client(node.server);
    if (!client.stopJob) { throw new VeeamError('config', `${node.server.def.name} cannot stop jobs.`); }
    const job = jobOf(node);
    const name = job?.entity.name ?? node.entity.name;
    const ok = await ctx.prompts.confirm(`Stop the job "${name}" ${where(node)}?`,
      'The running session will end now; what it has not processed yet is not backed up until the next run.', 'Stop');
    if (!ok) { return undefined; }
    return requestStop(ctx, node);
  },
};

/**
 * One stop POST for a running job or session (never retried), then the tree and the status bar follow
 * the stop to its end. The caller has confirmed (the command asks; a chat tool's confirmation did).
 */
export async function requestStop(ctx: Ctx, node: EntityNode): Promise<Entity | undefined> {
  const client = ctx.connections.client(node.server);
  if (!client.stopJob) { throw new VeeamError('config', `${node.server.def.name} cannot stop jobs.`); }
  const job = jobOf(node);
  const name = job?.entity.name ?? node.entity.name;
  const session = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Veeam: Stopping ${name}…` },
    (progress) => client.stopJob!(node.entity, undefined, (message) => progress.report({ message })));
  ctx.log.info(`Stop of ${name} on ${node.server.def.name} requested.`);
  vscode.window.setStatusBarMessage(`$(debug-stop) Veeam: stop of ${name} requested`, 5000);
  // Follow the stop to its end: what is watched for this job is read again now; otherwise the
  // session the server returned, or the running sessions the job lists now, are watched.
  const watched = ctx.watcher.running().filter((w) => w.item.id === node.id || (job && (w.owner?.id === job.id || w.parent?.id === job.id)));
  for (const w of watched) { ctx.watcher.soon(w.item.id); }
  if (!watched.length && job) {
    const follow = session ? [ctx.tree.adopt(job, session)] : await (async () => {
      ctx.tree.refresh(job);
      return (await ctx.tree.entityChildren(job)).filter((n) => n.entity.status === 'running' || n.entity.status === 'queued');
    })();
    for (const s of follow) { ctx.watcher.watch(s, { owner: job, parent: job }); ctx.watcher.soon(s.id); }
    if (!follow.length) { ctx.tree.update(job, await client.refresh(job.entity)); }
  } else if (!watched.length) {
    ctx.tree.refresh(node);
  }
  return session;
}
