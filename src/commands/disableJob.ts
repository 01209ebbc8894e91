import { setEnabled } from './jobEnabled';
import type { Command } from './context';

export const disableJob: Command = { id: 'veeam.disableJob', run: (ctx, arg) => setEnabled(ctx, arg, false) };
