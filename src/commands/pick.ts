// Commands work on the node they were given, else on the selected tree node when it fits, else
// through a picker over the same nodes. Pickers find their targets through the kind's target
// paths (EM jobs sit under each backup server), never by a folder name or a kind id.
import { VeeamError } from '../api/errors';
import { ActionId, TargetPath, typeInfo } from '../api/model';
import { kindOf } from '../api/kinds';
import { EntityNode, ServerNode } from '../tree/nodes';
import type { Ctx } from './context';

/** The selected tree node's server, if any node is selected. */
function selectedServer(ctx: Ctx): ServerNode | undefined {
  const n = ctx.view.selection[0];
  return n instanceof ServerNode ? n : n instanceof EntityNode ? ctx.tree.serverNode(n.server.key) : undefined;
}

export async function pickServer(ctx: Ctx, arg: unknown): Promise<ServerNode | undefined> {
  if (arg instanceof ServerNode) { return arg; }
  if (arg instanceof EntityNode) { return ctx.tree.serverNode(arg.server.key); }
  if (typeof arg === 'string') { return ctx.tree.serverNode(arg); }
  const selected = arg === undefined ? selectedServer(ctx) : undefined;
  if (selected) { return selected; }
  return chooseServer(ctx);
}

async function chooseServer(ctx: Ctx): Promise<ServerNode | undefined> {
  const servers = ctx.tree.serverNodes();
  if (!servers.length) { throw new VeeamError('config', 'No Veeam servers are configured yet. Run "Veeam: Add Server…".'); }
  if (servers.length === 1) { return servers[0]; }
  const pick = await ctx.prompts.pick(
    servers.map((s) => ({ label: s.server.def.name, description: s.server.def.url, node: s })),
    { title: 'Veeam: Choose a server' });
  return pick?.node;
}

/**
 * The entity an action applies to: the argument, else the selected node if it offers the action,
 * else a picker (server — the selected node's, when one is selected — then the kind's targets).
 */
export async function pickTarget(ctx: Ctx, arg: unknown, action: ActionId, verb: string): Promise<EntityNode | undefined> {
  if (arg instanceof EntityNode) {
    if (arg.entity.actions.includes(action)) { return arg; }
    throw new VeeamError('config', `"${arg.entity.name}" cannot ${verb} (${arg.entity.id ? 'not in its current state' : 'it has no ID on the server'}).`);
  }
  if (arg === undefined) {
    const sel = ctx.view.selection.find((n): n is EntityNode => n instanceof EntityNode && n.entity.actions.includes(action));
    if (sel) { return sel; }
  }
  const server = arg === undefined ? selectedServer(ctx) ?? await chooseServer(ctx) : await pickServer(ctx, arg);
  if (!server) { return undefined; }
  const kind = kindOf(server.server.def.kind);
  const path = kind?.targets[action];
  const items = (await targetsOf(ctx, server, action, verb)).filter((n) => n.entity.actions.includes(action));
  const noun = typeInfo(kind, path?.types[0] ?? '').noun;
  if (!items.length) { throw new VeeamError('config', `No ${noun[1]} on ${server.server.def.name} can ${verb} now.`); }
  const pick = await ctx.prompts.pick(
    items.map((n) => ({ label: n.entity.name, description: [scopeOf(n), n.entity.description].filter(Boolean).join(' · '), node: n })),
    { title: `Veeam: Choose the ${noun[0]} to ${verb}`, matchOnDescription: true });
  return pick?.node;
}

/**
 * Every entity of a server that an action is meant for, found through the kind's target path and
 * loaded through the tree's cache (so a picked node can be revealed and its work shows in the tree).
 * Entities of the target types are returned whether or not they offer the action now (a running job
 * cannot start): callers say why. The chat tools find their targets here too.
 */
export async function targetsOf(ctx: Ctx, server: ServerNode, action: ActionId, verb: string): Promise<EntityNode[]> {
  const kind = kindOf(server.server.def.kind);
  const path = kind?.targets[action];
  const name = server.server.def.name;
  if (!path) { throw new VeeamError('config', `${name} has nothing that can ${verb}.`); }
  const items = await walkTargets(ctx, server, path);
  if (!items) { throw new VeeamError('config', `${name} shows no ${typeInfo(kind, path.types[0]).noun[1]} (or could not be reached; see the tree).`); }
  return items;
}

/**
 * Walk a target path from the server node through the tree's cache: the entities of the path's types
 * below its last step, or undefined when a step finds nothing (unreachable, or the server shows none).
 */
export async function walkTargets(ctx: Ctx, server: ServerNode, path: TargetPath): Promise<EntityNode[] | undefined> {
  let level: (ServerNode | EntityNode)[] = [server];
  for (const step of path.via) {
    const next: EntityNode[] = [];
    for (const n of level) {
      next.push(...(await ctx.tree.entityChildren(n)).filter((c) =>
        (step.role === undefined || c.entity.role === step.role) && (step.type === undefined || c.entity.type === step.type)));
    }
    if (!next.length) { return undefined; }
    level = next;
  }
  const items: EntityNode[] = [];
  for (const n of level) { items.push(...(await ctx.tree.entityChildren(n)).filter((c) => path.types.includes(c.entity.type))); }
  return items;
}

/** The ancestors a confirmation names ("backup server VBR01"), from the kind's `scope` types. */
export function scopeOf(node: EntityNode): string | undefined {
  const kind = kindOf(node.server.def.kind);
  for (let p: unknown = node.parent; p instanceof EntityNode; p = p.parent) {
    const scope = typeInfo(kind, p.entity.type).scope;
    if (scope) { return `${scope} ${p.entity.name}`; }
  }
  return undefined;
}
