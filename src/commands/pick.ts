// Commands work from a tree node or, from the palette, through a picker over the same nodes.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import { EntityType } from '../api/model';
import { EntityNode, ServerNode } from '../tree/nodes';
import type { Ctx } from './context';

export async function pickServer(ctx: Ctx, arg: unknown): Promise<ServerNode | undefined> {
  if (arg instanceof ServerNode) { return arg; }
  if (arg instanceof EntityNode) { return ctx.tree.serverNode(arg.server.key); }
  if (typeof arg === 'string') { return ctx.tree.serverNode(arg); }
  const servers = ctx.tree.serverNodes();
  if (!servers.length) { throw new VeeamError('config', 'No Veeam servers are configured yet. Run "Veeam: Add Server…".'); }
  if (servers.length === 1) { return servers[0]; }
  const pick = await vscode.window.showQuickPick(
    servers.map((s) => ({ label: s.server.def.name, description: s.server.def.url, node: s })),
    { title: 'Veeam: Choose a server' });
  return pick?.node;
}

/** A node of one of `types`: the argument, or a two-step picker (server, then item). */
export async function pickEntity(ctx: Ctx, arg: unknown, types: EntityType[], folder: string, what: string): Promise<EntityNode | undefined> {
  if (arg instanceof EntityNode && types.includes(arg.entity.type)) { return arg; }
  if (arg instanceof EntityNode) { throw new VeeamError('config', `${arg.entity.name} is not a ${what}.`); }
  const server = await pickServer(ctx, arg);
  if (!server) { return undefined; }
  const top = await ctx.tree.entityChildren(server);
  const parent = top.find((n) => n.entity.ref.folder === folder);
  if (!parent) { throw new VeeamError('config', `${server.server.def.name} has no ${what}s (or could not be reached; see the tree).`); }
  const items = (await ctx.tree.entityChildren(parent)).filter((n) => types.includes(n.entity.type));
  if (!items.length) { throw new VeeamError('config', `No ${what}s found on ${server.server.def.name}.`); }
  const pick = await vscode.window.showQuickPick(
    items.map((n) => ({ label: n.entity.name, description: n.entity.description, node: n })),
    { title: `Veeam: Choose a ${what}`, matchOnDescription: true });
  return pick?.node;
}
