// Veeam: Refresh — the whole tree from the title bar, or one node from its context menu.
import type { Command } from './context';
import type { Node } from '../tree/nodes';

export const refresh: Command = {
  id: 'veeam.refresh',
  run(ctx, node) { ctx.tree.refresh(node as Node | undefined); },
};
