// Veeam: Start Job — confirmed, one POST (never retried), then the new session is watched.
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import type { EntityNode } from '../tree/nodes';
import { pickTarget } from './pick';
import { where } from './where';
import { StartOptions, startOnce } from './watchProgress';
import type { Command, Ctx } from './context';

export const startJob: Command = {
  id: 'veeam.startJob',
  async run(ctx, arg): Promise<Entity | undefined> {
    const job = await pickTarget(ctx, arg, 'startJob', 'start');
    if (!job) { return undefined; }
    return startOnce(ctx, job, {
      ...startJobOptions(ctx, job),
      confirm: () => ctx.prompts.confirm(`Start the job "${job.entity.name}" ${where(job)}?`, 'The job runs with its configured settings.', 'Start'),
    });
  },
};

/** How a job is started and followed (the command and the chat tool; the caller confirms). */
export function startJobOptions(ctx: Ctx, job: EntityNode): StartOptions {
  const client = ctx.connections.client(job.server);
  if (!client.startJob) { throw new VeeamError('config', `${job.server.def.name} cannot start jobs.`); }
  return {
    busy: `${job.entity.name} is already running.`,
    starting: `Veeam: Starting ${job.entity.name}…`,
    start: (report) => client.startJob!(job.entity, undefined, report),
    watching: `Veeam: ${job.entity.name}`,
  };
}
