// Veeam: Sync Repository — one POST, then the sync session is watched until it ends.
// A second click while the repository syncs (or while the POST is in flight) starts nothing.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import { Entity } from '../api/model';
import type { EntityNode } from '../tree/nodes';
import { pickEntity } from './pick';
import { watchWithProgress } from './watchProgress';
import type { Command } from './context';

const starting = new Set<string>();

export const syncRepository: Command = {
  id: 'veeam.syncRepository',
  async run(ctx, arg): Promise<Entity | undefined> {
    const repo = await pickEntity(ctx, arg, ['repository'], 'repos', 'repository');
    if (!repo) { return undefined; }
    const running = ctx.watcher.runningFor(repo.id);
    if (running || starting.has(repo.id)) {
      if (running) { await ctx.view.reveal(running, { select: true, focus: false }); }
      vscode.window.setStatusBarMessage(`Veeam: ${repo.entity.name} is already synchronizing.`, 4000);
      return running?.entity;
    }
    const client = ctx.connections.client(repo.server);
    if (!client.sync) { throw new VeeamError('config', `${repo.server.def.name} does not support repository sync.`); }
    starting.add(repo.id);
    let session: EntityNode;
    try {
      // No abort signal: once sent, the POST is not cancelled or retried.
      const e = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Veeam: Starting sync of ${repo.entity.name}…` },
        () => client.sync!(repo.entity));
      session = ctx.tree.adopt(repo, e);
    } finally {
      starting.delete(repo.id);
    }
    ctx.log.info(`Sync of ${repo.entity.name} started (session ${session.entity.id}).`);
    return watchWithProgress(ctx, session, repo, `Veeam: Syncing ${repo.entity.name}`);
  },
};
