// The failure watch's notifications: one per new Failed/Warning session ("Backup job X failed on server
// Y: <message>", with Open Log and Show in Tree), or — when many arrive in one look — one notification
// with their count and Show All (the overview's Needs attention). The actions are commands, so this view
// knows neither the tree nor the overview.
import * as vscode from 'vscode';
import type { FailureWatch, FoundSession } from '../services/failureWatch';

/** More than this many in one look become one notification. */
const ONE_BY_ONE = 3;
const MESSAGE_MAX = 300;

export interface Shown { text: string; severity: 'error' | 'warning'; actions: string[] }

export class FailureNotifications {
  private readonly listener: vscode.Disposable;
  /** Every notification shown (tests). */
  readonly shown: Shown[] = [];

  constructor(watch: FailureWatch) {
    this.listener = watch.onDidFind((found) => this.announce(found));
  }

  announce(found: FoundSession[]): void {
    if (found.length > ONE_BY_ONE) {
      const failed = found.filter((f) => f.entity.status === 'failed').length;
      const servers = new Set(found.map((f) => f.server.key)).size;
      const what = failed === found.length ? 'failed' : failed === 0 ? 'ended with a warning' : 'failed or ended with a warning';
      const text = `${found.length} backup job sessions ${what} on ${servers === 1 ? found[0].server.def.name : `${servers} servers`}.`;
      void this.show(text, failed ? 'error' : 'warning', ['Show All']).then((a) => {
        if (a) { void vscode.commands.executeCommand('veeam.openDashboard', { section: 'attention' }); }
      });
      return;
    }
    for (const f of found) {
      const e = f.entity;
      const job = e.jobName ?? e.name;
      const message = (e.message ?? e.description ?? '').replace(/\s+/g, ' ').trim();
      const short = message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message;
      const verb = e.status === 'failed' ? 'failed' : 'ended with a warning';
      const text = `Backup job ${job} ${verb} on server ${f.server.def.name}${short ? `: ${short}` : '.'}`;
      const arg = { serverKey: f.server.key, entity: e };
      void this.show(text, e.status === 'failed' ? 'error' : 'warning', ['Open Log', 'Show in Tree']).then((a) => {
        if (a === 'Open Log') { void vscode.commands.executeCommand('veeam.openSessionLogFor', arg); }
        if (a === 'Show in Tree') { void vscode.commands.executeCommand('veeam.revealSession', arg); }
      });
    }
  }

  private show(text: string, severity: 'error' | 'warning', actions: string[]): Thenable<string | undefined> {
    this.shown.push({ text, severity, actions });
    return severity === 'error' ? vscode.window.showErrorMessage(text, ...actions) : vscode.window.showWarningMessage(text, ...actions);
  }

  dispose(): void { this.listener.dispose(); }
}
