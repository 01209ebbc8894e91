// Veeam: Retry Job — a failed or warning job runs again for what failed: confirmed, one POST (never
// retried), then the new session is watched like a start.
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import { pickTarget } from './pick';
import { jobOf, where } from './where';
import { startOnce } from './watchProgress';
import type { Command } from './context';

export const retryJob: Command = {
  id: 'veeam.retryJob',
  async run(ctx, arg): Promise<Entity | undefined> {
    const picked = await pickTarget(ctx, arg, 'retryJob', 'retry');
    if (!picked) { return undefined; }
    const job = jobOf(picked) ?? picked;
    const client = ctx.connections.client(job.server);
    if (!client.retryJob) { throw new VeeamError('config', `${job.server.def.name} cannot retry jobs.`); }
    return startOnce(ctx, job, {
      busy: `${job.entity.name} is already running.`,
      confirm: () => ctx.prompts.confirm(`Retry the job "${job.entity.name}" ${where(job)}?`,
        'Veeam processes again what failed in the last run.', 'Retry'),
      starting: `Veeam: Retrying ${job.entity.name}…`,
      start: (report) => client.retryJob!(job.entity, undefined, report),
      watching: `Veeam: ${job.entity.name} (retry)`,
    });
  },
};
