// Show in Tree for a session named by server key and entity (overview rows, failure notifications):
// walk from the server node along the kind's path to its jobs, find the session's job by name, then the
// session in the job's first page. Reveals the deepest node found (the job when the session is on a later page).
import { VeeamError } from '../api/errors';
import { kindOf } from '../api/kinds';
import { EntityNode, ServerNode } from '../tree/nodes';
import { sessionRef } from './openSessionLogFor';
import { walkTargets } from './pick';
import type { Command, Ctx } from './context';

export const revealSession: Command = {
  id: 'veeam.revealSession',
  async run(ctx, arg) {
    const { serverKey, entity } = sessionRef(arg);
    const server = ctx.tree.serverNode(serverKey);
    if (!server) { throw new VeeamError('config', 'That server is no longer in the settings.'); }
    const node = await find(ctx, server, entity.jobName, entity.key);
    await ctx.view.reveal(node, { select: true, focus: true, expand: false });
    return node;
  },
};

async function find(ctx: Ctx, server: ServerNode, jobName: string | undefined, key: string): Promise<ServerNode | EntityNode> {
  const path = kindOf(server.server.def.kind)?.targets.startJob ?? kindOf(server.server.def.kind)?.targets.openJson;
  if (!path || !jobName) { return server; }
  const jobs = (await walkTargets(ctx, server, path))?.filter((c) => c.entity.name === jobName);
  if (!jobs) { return server; }
  for (const job of jobs) {
    const session = (await ctx.tree.entityChildren(job)).find((c) => c.entity.key === key);
    if (session) { return session; }
  }
  return jobs[0] ?? server;
}
