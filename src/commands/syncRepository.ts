// Veeam: Sync Repository — one POST, then the sync session is watched until it ends.
// A second click while the repository syncs (or while the POST is in flight) starts nothing.
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import type { EntityNode } from '../tree/nodes';
import { pickTarget } from './pick';
import { StartOptions, startOnce } from './watchProgress';
import type { Command, Ctx } from './context';

export const syncRepository: Command = {
  id: 'veeam.syncRepository',
  async run(ctx, arg): Promise<Entity | undefined> {
    const repo = await pickTarget(ctx, arg, 'sync', 'synchronize');
    if (!repo) { return undefined; }
    return startOnce(ctx, repo, syncOptions(ctx, repo));
  },
};

/** How a repository sync is started and followed (the command and the chat tool). */
export function syncOptions(ctx: Ctx, repo: EntityNode): StartOptions {
  const client = ctx.connections.client(repo.server);
  if (!client.sync) { throw new VeeamError('config', `${repo.server.def.name} does not support repository sync.`); }
  return {
    busy: `${repo.entity.name} is already synchronizing.`,
    starting: `Veeam: Starting sync of ${repo.entity.name}…`,
    start: () => client.sync!(repo.entity),
    watching: `Veeam: Syncing ${repo.entity.name}`,
  };
}
