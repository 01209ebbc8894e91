// Watches running work (syncs, job sessions, EM tasks) and shows it in one status-bar item.
// Polls only while something runs, backs off on failures, and never touches the server's work.
import * as vscode from 'vscode';
import { Entity } from '../api/model';
import { toVeeamError } from '../api/errors';
import type { EntityNode } from '../tree/nodes';
import type { ServerTreeProvider } from '../tree/provider';
import type { Connections } from './connections';
import type { ServerStore } from './settings';
import type { Log } from './log';

export interface WatchOptions {
  /** The repository or job the work belongs to (its node shows the activity). */
  owner?: EntityNode;
  onUpdate?: (e: Entity) => void;
  onDone?: (e: Entity | undefined, error?: string) => void;
}

interface Watched extends WatchOptions {
  node: EntityNode;
  failures: number;
  nextAt: number;
  note?: string;
}

const MAX_BACKOFF_MS = 60_000;

export class WorkWatcher {
  private readonly items = new Map<string, Watched>();
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private readonly abort = new AbortController();
  readonly statusItem: vscode.StatusBarItem;
  private readonly storeListener: vscode.Disposable;
  /** Polls made since activation (for tests and `npm run bench`). */
  polls = 0;

  constructor(
    private readonly tree: ServerTreeProvider,
    private readonly connections: Connections,
    private readonly store: ServerStore,
    private readonly log: Log,
  ) {
    this.statusItem = vscode.window.createStatusBarItem('veeam.progress', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'Veeam Progress';
    this.statusItem.command = 'veeam.revealRunning';
    this.storeListener = store.onDidChange(() => this.prune());
  }

  /** Stop watching work on servers that were removed from the settings. */
  private prune(): void {
    const keys = new Set(this.store.list().map((s) => s.key));
    for (const w of [...this.items.values()]) {
      if (!keys.has(w.node.server.key)) { this.unwatch(w.node.id); }
    }
  }

  watch(node: EntityNode, opts: WatchOptions = {}): void {
    const existing = this.items.get(node.id);
    if (existing) {
      // Already listed by the tree (adopt() reports it as running): the user's start brings the first reading forward.
      if (opts.owner && !existing.owner) { existing.nextAt = Math.min(existing.nextAt, Date.now() + Math.min(1000, this.store.pollIntervalMs())); }
      Object.assign(existing, { owner: opts.owner ?? existing.owner, onUpdate: opts.onUpdate ?? existing.onUpdate, onDone: opts.onDone ?? existing.onDone });
    } else {
      // Work the user just started gets its first reading after a second, then every interval.
      const first = opts.owner ? Math.min(1000, this.store.pollIntervalMs()) : this.store.pollIntervalMs();
      this.items.set(node.id, { node, failures: 0, nextAt: Date.now() + first, ...opts });
    }
    this.decorateOwner(this.items.get(node.id)!);
    this.render();
    this.schedule();
  }

  /** Stop watching (the server's work goes on); a notification following it ends too. */
  unwatch(id: string): void {
    const w = this.items.get(id);
    if (!w) { return; }
    this.items.delete(id);
    if (w.owner) { w.owner.activity = undefined; this.tree.update(w.owner); }
    this.render();
    this.schedule();
    w.onDone?.(undefined);
  }

  /** The watched work of a repository or job, if any. */
  runningFor(ownerId: string): EntityNode | undefined {
    for (const w of this.items.values()) { if (w.owner?.id === ownerId) { return w.node; } }
    return undefined;
  }

  running(): EntityNode[] { return [...this.items.values()].map((w) => w.node); }

  private schedule(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (!this.items.size || this.ticking) { return; }
    const next = Math.min(...[...this.items.values()].map((w) => w.nextAt));
    this.timer = setTimeout(() => { void this.tick(); }, Math.max(0, next - Date.now()));
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.ticking = true;
    try {
      const now = Date.now();
      const due = [...this.items.values()].filter((w) => w.nextAt <= now);
      await Promise.all(due.map((w) => this.poll(w)));
    } finally {
      this.ticking = false;
      this.render();
      this.schedule();
    }
  }

  private async poll(w: Watched): Promise<void> {
    const interval = this.store.pollIntervalMs();
    this.polls++;
    try {
      const client = this.connections.client(w.node.server);
      const e = await client.refresh(w.node.entity, this.abort.signal);
      if (!this.items.has(w.node.id)) { return; }
      w.failures = 0; w.note = undefined; w.nextAt = Date.now() + interval;
      this.tree.update(w.node, e);
      w.onUpdate?.(e);
      this.decorateOwner(w);
      if (e.status !== 'running' && e.status !== 'queued') { this.finish(w, e); }
    } catch (err) {
      if (!this.items.has(w.node.id)) { return; }
      const v = toVeeamError(err);
      if (v.kind === 'cancelled') { return; }
      if (v.status === 404) {
        this.tree.update(w.node, { ...w.node.entity, status: 'unknown', description: 'No longer on the server (404)' });
        this.finish(w, undefined, `${w.node.entity.name} is no longer on the server.`);
        return;
      }
      w.failures++;
      const wait = Math.min(interval * 2 ** w.failures, MAX_BACKOFF_MS);
      w.nextAt = Date.now() + wait;
      w.note = `retrying in ${Math.round(wait / 1000)} s: ${v.message}`;
      this.log.warn(`Watching ${w.node.entity.name}: ${v.message} (retry in ${Math.round(wait / 1000)} s)`);
    }
  }

  private finish(w: Watched, e: Entity | undefined, error?: string): void {
    this.items.delete(w.node.id);
    this.render();
    if (w.owner) {
      w.owner.activity = undefined;
      this.tree.refresh(w.owner);       // reload the sessions under it
      this.tree.update(w.owner);
    } else if (w.node.parent) {
      void this.refreshParent(w.node.parent as EntityNode);
    }
    w.onDone?.(e, error);
  }

  /** A job whose session ended has a new last status: read it again (one GET). */
  private async refreshParent(parent: EntityNode): Promise<void> {
    if (parent.entity.type !== 'job') { this.tree.update(parent); return; }
    try {
      this.tree.update(parent, await this.connections.client(parent.server).refresh(parent.entity, this.abort.signal));
    } catch { this.tree.update(parent); }
  }

  private decorateOwner(w: Watched): void {
    if (!w.owner) { return; }
    w.owner.activity = `${w.node.entity.type === 'syncSession' ? 'Syncing' : 'Running'} ${progressText(w.node.entity)}`.trim();
    this.tree.update(w.owner);
  }

  private label(w: Watched): string {
    if (w.owner) { return w.owner.entity.name; }
    const p = w.node.parent as EntityNode | undefined;
    return p?.entity?.type === 'job' ? p.entity.name : w.node.entity.name;
  }

  private render(): void {
    const all = [...this.items.values()];
    if (!all.length) { this.statusItem.hide(); this.statusItem.text = ''; this.statusItem.tooltip = undefined; return; }
    // The work the user started last comes first; the rest is counted.
    const main = [...all].reverse().find((w) => w.owner) ?? all[0];
    this.statusItem.text = `$(sync~spin) Veeam: ${this.label(main)} ${progressText(main.node.entity)}`.trimEnd()
      + (all.length > 1 ? ` +${all.length - 1}` : '');
    const md = new vscode.MarkdownString('**Veeam — running work**\n\n', true);
    for (const w of all) {
      md.appendMarkdown(`- ${this.label(w)} — ${w.node.entity.type === 'syncSession' ? 'sync' : 'job session'} ${progressText(w.node.entity) || 'running'} (${w.node.server.def.name})${w.note ? ` _${w.note}_` : ''}\n`);
    }
    md.appendMarkdown('\nClick to reveal.');
    this.statusItem.tooltip = md;
    this.statusItem.show();
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer) { clearTimeout(this.timer); }
    this.items.clear();
    this.storeListener.dispose();
    this.statusItem.dispose();
  }
}

export function progressText(e: Entity): string {
  if (e.progress?.percent !== undefined) { return `${Math.round(e.progress.percent)}%`; }
  if (e.progress?.objects !== undefined) { return `${e.progress.objects.toLocaleString('en-US')} objects`; }
  return '';
}
