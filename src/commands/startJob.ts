// Veeam: Start Job — confirmed, one POST (never retried), then the new session is watched.
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import { pickTarget } from './pick';
import { where } from './where';
import { startOnce } from './watchProgress';
import type { Command } from './context';

export const startJob: Command = {
  id: 'veeam.startJob',
  async run(ctx, arg): Promise<Entity | undefined> {
    const job = await pickTarget(ctx, arg, 'startJob', 'start');
    if (!job) { return undefined; }
    const client = ctx.connections.client(job.server);
    if (!client.startJob) { throw new VeeamError('config', `${job.server.def.name} cannot start jobs.`); }
    return startOnce(ctx, job, {
      busy: `${job.entity.name} is already running.`,
      confirm: () => ctx.prompts.confirm(`Start the job "${job.entity.name}" ${where(job)}?`, 'The job runs with its configured settings.', 'Start'),
      starting: `Veeam: Starting ${job.entity.name}…`,
      start: (report) => client.startJob!(job.entity, undefined, report),
      watching: `Veeam: ${job.entity.name}`,
    });
  },
};
