// Veeam: Configure Failure Watch… — off, failed, or failed and warning (the setting veeam.watch.failures).
import * as vscode from 'vscode';
import type { Command } from './context';

const CHOICES = [
  { label: 'Failed sessions', value: 'failed', description: 'a notification for every backup job session that failed' },
  { label: 'Failed and warning sessions', value: 'failedAndWarning', description: 'also sessions that ended with a warning' },
  { label: 'Off', value: 'off', description: 'no watch, no requests' },
];

export const configureFailureWatch: Command = {
  id: 'veeam.configureFailureWatch',
  async run(ctx, arg) {
    const cfg = vscode.workspace.getConfiguration('veeam');
    const now = cfg.get<string>('watch.failures', 'off');
    const value = typeof arg === 'string' ? arg : (await ctx.prompts.pick(
      CHOICES.map((c) => ({ ...c, description: `${c.description}${c.value === now ? ' (now)' : ''}` })),
      { title: `Veeam: Watch for failures (every ${cfg.get<number>('watch.intervalMinutes', 5)} min; servers with "watch": false are left out)` }))?.value;
    if (!value || !CHOICES.some((c) => c.value === value)) { return undefined; }
    await cfg.update('watch.failures', value, vscode.ConfigurationTarget.Global);
    return value;
  },
};
