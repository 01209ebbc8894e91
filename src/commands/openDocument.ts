// Veeam: Open as JSON / Open as XML — a read-only tab with the server's payload.
import { EntityNode } from '../tree/nodes';
import { pickEntity } from './pick';
import type { Command, Ctx } from './context';

async function open(ctx: Ctx, arg: unknown, format: 'json' | 'xml') {
  const node = arg instanceof EntityNode ? arg
    : await pickEntity(ctx, arg ?? ctx.view.selection[0], ['repository', 'job'], 'repos', 'repository or job');
  if (!node) { return; }
  return ctx.docs.open(node, format);
}

export const openJson: Command = { id: 'veeam.openJson', run: (ctx, arg) => open(ctx, arg, 'json') };
export const openXml: Command = { id: 'veeam.openXml', run: (ctx, arg) => open(ctx, arg, 'xml') };
