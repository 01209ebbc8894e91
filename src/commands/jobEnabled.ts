// Shared by Enable Job and Disable Job: confirmed, one POST (never retried), the node shows the result.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import { pickTarget } from './pick';
import { where } from './where';
import type { Ctx } from './context';

export async function setEnabled(ctx: Ctx, arg: unknown, enabled: boolean): Promise<Entity | undefined> {
  const verb = enabled ? 'enable' : 'disable';
  const job = await pickTarget(ctx, arg, enabled ? 'enableJob' : 'disableJob', verb);
  if (!job) { return undefined; }
  const client = ctx.connections.client(job.server);
  if (!client.setJobEnabled) { throw new VeeamError('config', `${job.server.def.name} cannot ${verb} jobs.`); }
  const ok = await ctx.prompts.confirm(`${enabled ? 'Enable' : 'Disable'} the job "${job.entity.name}" ${where(job)}?`,
    enabled ? 'Its schedule runs it again.' : 'Its schedule no longer runs it; it can still be started by hand. A running session goes on.',
    enabled ? 'Enable' : 'Disable');
  if (!ok) { return undefined; }
  const after = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Veeam: ${enabled ? 'Enabling' : 'Disabling'} ${job.entity.name}…` },
    (progress) => client.setJobEnabled!(job.entity, enabled, undefined, (message) => progress.report({ message })));
  const e = after ?? await client.refresh(job.entity);
  ctx.tree.update(job, e);
  ctx.log.info(`${job.entity.name} on ${job.server.def.name} ${enabled ? 'enabled' : 'disabled'}.`);
  return e;
}
