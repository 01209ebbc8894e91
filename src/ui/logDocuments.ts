// Session logs as read-only `veeam-log:` tabs (log language): one line per record with time, status
// and title, failed and warning lines marked, newest at the bottom. While the session runs and the
// tab is open the document follows the log (records are kept by id, so updated records change in
// place); when the session ends or the tab closes, polling stops — a closed tab costs no request.
import * as vscode from 'vscode';
import { pathPart, serverTag } from './serverTag';
import type { LogLine, SessionLog } from '../api/model';
import { renderLog } from './logText';
import { VeeamError, toVeeamError } from '../api/errors';
import type { Connections } from '../services/connections';
import type { ServerStore } from '../services/settings';
import type { Item, Logger } from '../services/types';

export const LOG_SCHEME = 'veeam-log';

interface Source {
  item: Item;
  lines: Map<string, LogLine>;
  note?: string;
  running: boolean;
  error?: string;
  text: string;
  timer?: NodeJS.Timeout;
  abort: AbortController;
}

export class LogDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sources = new Map<string, Source>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Log requests made since activation (tests check that a closed tab costs none). */
  requests = 0;

  constructor(private readonly connections: Connections, private readonly store: ServerStore, private readonly log: Logger) {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((d) => { if (d.uri.scheme === LOG_SCHEME) { this.close(d.uri.toString()); } }),
      // A closed tab stops polling at once (the document itself may be disposed much later).
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
          if (uri?.scheme === LOG_SCHEME && !isOpenInTab(uri)) { this.close(uri.toString()); }
        }
      }),
    );
  }

  uriFor(item: Item): vscode.Uri {
    const server = serverTag(item.server.key);
    return vscode.Uri.from({
      scheme: LOG_SCHEME,
      // The tab reads '<job> <session>.log' (a session's own name is often just its start time); '.log' gives
      // the log language.
      path: `/${pathPart(item.server.def.name)}/${pathPart(logTitle(item.entity))}.log`,
      query: `s=${server}&k=${encodeURIComponent(item.entity.key)}`,
    });
  }

  async open(item: Item, signal?: AbortSignal): Promise<vscode.TextEditor> {
    const uri = this.uriFor(item);
    const key = uri.toString();
    const old = this.sources.get(key);
    if (old) { this.stop(old); }
    const src: Source = { item, lines: new Map(), running: false, text: '', abort: new AbortController() };
    this.sources.set(key, src);
    await this.read(src, signal);
    if (src.error) { this.sources.delete(key); throw new VeeamError('http', src.error); }
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    // Newest at the bottom: show the end.
    const end = new vscode.Position(doc.lineCount - 1, 0);
    editor.revealRange(new vscode.Range(end, end));
    this.follow(key, src);
    return editor;
  }

  private async read(src: Source, signal?: AbortSignal): Promise<void> {
    const client = this.connections.client(src.item.server);
    if (!client.sessionLog) { throw new VeeamError('config', `${src.item.server.def.name} has no session logs.`); }
    this.requests++;
    let log: SessionLog;
    try {
      log = await client.sessionLog(src.item.entity, signal ?? src.abort.signal);
    } catch (e) {
      const err = toVeeamError(e);
      if (err.kind === 'cancelled') { throw err; }
      src.error = err.message;
      src.text = renderLog(src.item, [...src.lines.values()], src);
      return;
    }
    src.error = undefined;
    for (const l of log.lines) { src.lines.set(l.id, l); }
    src.note = log.note;
    src.running = log.running;
    src.text = renderLog(src.item, [...src.lines.values()], src);
  }

  /** Poll while the session runs and the document is open. */
  private follow(key: string, src: Source): void {
    if (!src.running || src.abort.signal.aborted) { return; }
    src.timer = setTimeout(async () => {
      src.timer = undefined;
      if (this.sources.get(key) !== src) { return; }
      try { await this.read(src); } catch (e) {
        if (toVeeamError(e).kind === 'cancelled') { return; }
        this.log.warn(`Following the log of ${src.item.entity.name}: ${toVeeamError(e).message}`);
      }
      if (this.sources.get(key) !== src) { return; }
      this.changed.fire(vscode.Uri.parse(key));
      this.follow(key, src);
    }, this.store.pollIntervalMs());
  }

  private stop(src: Source): void {
    if (src.timer) { clearTimeout(src.timer); src.timer = undefined; }
    src.abort.abort();
  }

  private close(key: string): void {
    const src = this.sources.get(key);
    if (!src) { return; }
    this.stop(src);
    this.sources.delete(key);
  }

  /** Logs being followed now (tests). */
  following(): number { return [...this.sources.values()].filter((s) => s.timer).length; }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.sources.get(uri.toString())?.text
      ?? '# This Veeam session log is no longer loaded. Open it again from the Veeam view.';
  }

  texts(): string[] { return [...this.sources.values()].map((s) => s.text); }

  dispose(): void {
    for (const s of this.sources.values()) { this.stop(s); }
    this.sources.clear();
    this.changed.dispose();
    for (const d of this.subscriptions) { d.dispose(); }
  }
}

function isOpenInTab(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
}

/** 'Exchange daily 2026-12-01 22:00', or the session's own name where it already says the job ('Backup Job 2@…'). */
function logTitle(e: Item['entity']): string {
  return e.jobName && !e.name.startsWith(e.jobName) ? `${e.jobName} ${e.name}` : e.name;
}
