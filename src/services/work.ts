// Watches running work (syncs, job sessions, EM tasks): polls only while something runs, backs off on
// failures, and never touches the server's work. Views learn what happens from its events: the tree
// shows the new state, the status bar the running work.
import * as vscode from 'vscode';
import { Entity, typeInfo } from '../api/model';
import { toVeeamError } from '../api/errors';
import { kindOf } from '../api/kinds';
import { progressText } from '../api/format';
import type { Connections } from './connections';
import type { ServerStore } from './settings';
import type { Item, Logger } from './types';

export interface WatchOptions {
  /** The repository or job the user started the work on (its node shows the activity). */
  owner?: Item;
  /** The entity listed above the work (a job above its session): re-read when the work ends if its type follows its children. */
  parent?: Item;
  onUpdate?: (e: Entity) => void;
  onDone?: (e: Entity | undefined, error?: string) => void;
}

export interface Watched extends WatchOptions {
  item: Item;
  failures: number;
  nextAt: number;
  /** Why the last poll failed and when it is tried again. */
  note?: string;
}

export interface WorkEnded { work: Watched; entity?: Entity; error?: string }

const MAX_BACKOFF_MS = 60_000;

export class WorkWatcher {
  private readonly items = new Map<string, Watched>();
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private readonly abort = new AbortController();
  private readonly storeListener: vscode.Disposable;
  private readonly updated = new vscode.EventEmitter<{ item: Item; entity: Entity }>();
  private readonly ended = new vscode.EventEmitter<WorkEnded>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** An entity has a new state (a poll, or the job above finished work). */
  readonly onDidUpdate = this.updated.event;
  /** Watched work ended (or vanished, or is no longer watched). */
  readonly onDidEnd = this.ended.event;
  /** The set of running work or its progress changed (status bar, owners' activity). */
  readonly onDidChange = this.changed.event;
  /** Polls made since activation (for tests and `npm run bench`). */
  polls = 0;

  constructor(private readonly connections: Connections, private readonly store: ServerStore, private readonly log: Logger) {
    this.storeListener = store.onDidChange(() => this.prune());
  }

  /** Stop watching work on servers that were removed from the settings. */
  private prune(): void {
    const keys = new Set(this.store.list().map((s) => s.key));
    for (const w of [...this.items.values()]) {
      if (!keys.has(w.item.server.key)) { this.unwatch(w.item.id); }
    }
  }

  watch(item: Item, opts: WatchOptions = {}): void {
    const existing = this.items.get(item.id);
    if (existing) {
      // Already listed by the tree: the user's start brings the first reading forward.
      if (opts.owner && !existing.owner) { existing.nextAt = Math.min(existing.nextAt, Date.now() + Math.min(1000, this.store.pollIntervalMs())); }
      existing.item = item;
      Object.assign(existing, {
        owner: opts.owner ?? existing.owner, parent: opts.parent ?? existing.parent,
        onUpdate: opts.onUpdate ?? existing.onUpdate, onDone: opts.onDone ?? existing.onDone,
      });
    } else {
      // Work the user just started gets its first reading after a second, then every interval.
      const first = opts.owner ? Math.min(1000, this.store.pollIntervalMs()) : this.store.pollIntervalMs();
      this.items.set(item.id, { item, failures: 0, nextAt: Date.now() + first, ...opts });
    }
    this.changed.fire();
    this.schedule();
  }

  /** Stop watching (the server's work goes on); a notification following it ends too. */
  unwatch(id: string): void {
    const w = this.items.get(id);
    if (!w) { return; }
    this.items.delete(id);
    this.changed.fire();
    this.schedule();
    this.ended.fire({ work: w });
    w.onDone?.(undefined);
  }

  /** Read watched work again within a second (after the user stopped it, say). */
  soon(id: string): void {
    const w = this.items.get(id);
    if (!w) { return; }
    w.nextAt = Math.min(w.nextAt, Date.now() + Math.min(1000, this.store.pollIntervalMs()));
    this.schedule();
  }

  /** The watched work of a repository or job, if any. */
  runningFor(ownerId: string): Item | undefined {
    for (const w of this.items.values()) { if (w.owner?.id === ownerId) { return w.item; } }
    return undefined;
  }

  /** What an owner's node says while its work runs: 'Syncing 42%'. */
  activityFor(ownerId: string): string | undefined {
    for (const w of this.items.values()) {
      if (w.owner?.id !== ownerId) { continue; }
      const verb = typeInfo(kindOf(w.item.server.def.kind), w.item.entity.type).activity ?? 'Running';
      return `${verb} ${progressText(w.item.entity)}`.trim();
    }
    return undefined;
  }

  running(): Watched[] { return [...this.items.values()]; }

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
      this.changed.fire();
      this.schedule();
    }
  }

  private async poll(w: Watched): Promise<void> {
    const interval = this.store.pollIntervalMs();
    this.polls++;
    try {
      const client = this.connections.client(w.item.server);
      const e = await client.refresh(w.item.entity, this.abort.signal);
      if (this.items.get(w.item.id) !== w) { return; }
      w.failures = 0; w.note = undefined; w.nextAt = Date.now() + interval;
      w.item.entity = e;
      this.updated.fire({ item: w.item, entity: e });
      w.onUpdate?.(e);
      if (e.status !== 'running' && e.status !== 'queued') { this.finish(w, e); }
    } catch (err) {
      if (this.items.get(w.item.id) !== w) { return; }
      const v = toVeeamError(err);
      if (v.kind === 'cancelled') { return; }
      if (v.status === 404) {
        const gone: Entity = { ...w.item.entity, status: 'unknown', description: 'No longer on the server (404)' };
        w.item.entity = gone;
        this.updated.fire({ item: w.item, entity: gone });
        this.finish(w, undefined, `${w.item.entity.name} is no longer on the server.`);
        return;
      }
      w.failures++;
      const wait = Math.min(interval * 2 ** w.failures, MAX_BACKOFF_MS);
      w.nextAt = Date.now() + wait;
      w.note = `retrying in ${Math.round(wait / 1000)} s: ${v.message}`;
      this.log.warn(`Watching ${w.item.entity.name}: ${v.message} (retry in ${Math.round(wait / 1000)} s)`);
    }
  }

  private finish(w: Watched, e: Entity | undefined, error?: string): void {
    this.items.delete(w.item.id);
    this.changed.fire();
    this.ended.fire({ work: w, entity: e, error });
    const parent = w.parent ?? w.owner;
    if (parent && typeInfo(kindOf(parent.server.def.kind), parent.entity.type).followsChildren) { void this.reread(parent); }
    w.onDone?.(e, error);
  }

  /** A job whose session ended has a new last result: read it again (one GET). */
  private async reread(item: Item): Promise<void> {
    try {
      const e = await this.connections.client(item.server).refresh(item.entity, this.abort.signal);
      item.entity = e;
      this.updated.fire({ item, entity: e });
    } catch { /* the tree shows the job as it was; the next refresh reads it */ }
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer) { clearTimeout(this.timer); }
    this.items.clear();
    this.storeListener.dispose();
    this.updated.dispose(); this.ended.dispose(); this.changed.dispose();
  }
}
