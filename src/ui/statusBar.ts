// One status-bar item for all running work: the work the user started last, '+N' for the rest,
// every item in the tooltip; hidden when nothing runs. Click reveals (veeam.revealRunning).
import * as vscode from 'vscode';
import { typeInfo } from '../api/model';
import { kindOf } from '../api/kinds';
import { progressText } from '../api/format';
import type { Watched, WorkWatcher } from '../services/work';

export class ProgressStatusBar {
  readonly item: vscode.StatusBarItem;
  private readonly listener: vscode.Disposable;

  constructor(private readonly watcher: WorkWatcher) {
    this.item = vscode.window.createStatusBarItem('veeam.progress', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Veeam Progress';
    this.item.command = 'veeam.revealRunning';
    this.listener = watcher.onDidChange(() => this.render());
  }

  render(): void {
    const all = this.watcher.running();
    if (!all.length) { this.item.hide(); this.item.text = ''; this.item.tooltip = undefined; return; }
    const main = [...all].reverse().find((w) => w.owner) ?? all[0];
    this.item.text = `$(sync~spin) Veeam: ${workLabel(main)} ${progressText(main.item.entity)}`.trimEnd()
      + (all.length > 1 ? ` +${all.length - 1}` : '');
    const md = new vscode.MarkdownString('**Veeam — running work**\n\n', true);
    for (const w of all) {
      const noun = typeInfo(kindOf(w.item.server.def.kind), w.item.entity.type).noun[0];
      md.appendMarkdown(`- ${workLabel(w)} — ${noun} ${progressText(w.item.entity) || 'running'} (${w.item.server.def.name})${w.note ? ` _${w.note}_` : ''}\n`);
    }
    md.appendMarkdown('\nClick to reveal.');
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void { this.listener.dispose(); this.item.dispose(); }
}

/** The name a person knows the work by: the job or repository it runs for (the session's job name when it came alone), else its own. */
export function workLabel(w: Watched): string {
  const above = w.owner ?? w.parent;
  return above && above.entity.type !== 'folder' ? above.entity.name : w.item.entity.jobName ?? w.item.entity.name;
}
