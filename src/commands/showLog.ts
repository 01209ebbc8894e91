import type { Command } from './context';

export const showLog: Command = {
  id: 'veeam.showLog',
  run(ctx) { ctx.log.channel.show(true); },
};
