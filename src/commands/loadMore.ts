import { LoadMoreNode } from '../tree/nodes';
import type { Command } from './context';

export const loadMore: Command = {
  id: 'veeam.loadMore',
  async run(ctx, node) { if (node instanceof LoadMoreNode) { await ctx.tree.loadMore(node); } },
};
