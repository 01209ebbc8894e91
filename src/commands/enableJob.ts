import { setEnabled } from './jobEnabled';
import type { Command } from './context';

export const enableJob: Command = { id: 'veeam.enableJob', run: (ctx, arg) => setEnabled(ctx, arg, true) };
