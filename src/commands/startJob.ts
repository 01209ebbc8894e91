// Veeam: Start Job — confirmed, one POST (never retried), then the new session is watched.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import { EntityNode } from '../tree/nodes';
import { pickEntity } from './pick';
import { watchWithProgress } from './watchProgress';
import type { Command } from './context';

const starting = new Set<string>();

export const startJob: Command = {
  id: 'veeam.startJob',
  async run(ctx, arg): Promise<Entity | undefined> {
    const job = await pickEntity(ctx, arg, ['job'], 'jobs', 'job');
    if (!job) { return undefined; }
    const running = ctx.watcher.runningFor(job.id);
    if (running || starting.has(job.id)) {
      if (running) { await ctx.view.reveal(running, { select: true, focus: false }); }
      vscode.window.setStatusBarMessage(`Veeam: ${job.entity.name} is already running.`, 4000);
      return running?.entity;
    }
    const client = ctx.connections.client(job.server);
    if (!client.startJob) { throw new VeeamError('config', `${job.server.def.name} cannot start jobs.`); }
    const where = backupServerOf(job) ? `on backup server ${backupServerOf(job)} (${job.server.def.name})` : `on ${job.server.def.name}`;
    if (!(await ctx.prompts.confirm(`Start the job "${job.entity.name}" ${where}?`, 'The job runs with its configured settings.', 'Start'))) {
      return undefined;
    }
    starting.add(job.id);
    let session;
    try {
      const e = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Veeam: Starting ${job.entity.name}…` },
        (progress) => client.startJob!(job.entity, undefined, (message) => progress.report({ message })));
      session = ctx.tree.adopt(job, e);
    } finally {
      starting.delete(job.id);
    }
    ctx.log.info(`Job ${job.entity.name} started (session ${session.entity.id}).`);
    return watchWithProgress(ctx, session, job, `Veeam: ${job.entity.name}`);
  },
};

/** The backup server a job belongs to (Enterprise Manager: an ancestor node). */
function backupServerOf(node: EntityNode): string | undefined {
  for (let p: unknown = node.parent; p instanceof EntityNode; p = p.parent) {
    if (p.entity.type === 'backupServer') { return p.entity.name; }
  }
  return undefined;
}
