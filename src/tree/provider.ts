// The Servers tree: servers → the kind's entities, one page at a time, with errors as nodes.
// Node ids are namespaced by server and stable, so expansion survives refreshes.
// Each node has at most one load in flight; a refresh of a node aborts its load (and those below
// it) and only the newest load's result is kept, so a stale listing never comes back.
import * as vscode from 'vscode';
import { Entity, Page, SessionFilter, typeInfo } from '../api/model';
import { VeeamError, toVeeamError } from '../api/errors';
import { kindOf } from '../api/kinds';
import type { LoadedServer, ServerStore } from '../services/settings';
import type { SecretStore } from '../services/secrets';
import type { Connections } from '../services/connections';
import type { FilterStore } from '../services/filters';
import type { WorkWatcher } from '../services/work';
import type { Logger, Prompts } from '../services/types';
import { describeFilter } from '../services/filters';
import { EntityNode, LoadMoreNode, MessageNode, Node, ServerNode } from './nodes';
import { emptyNode, errorNodes } from './errors';

interface Listing { nodes: Node[]; next?: string; later?: Page['later'] }

/** The children of one node: the listing once loaded, the load while it runs, the pages' `later` while they run. */
interface Slot { abort: AbortController; loading?: Promise<Listing>; listing?: Listing; later?: Promise<void> }

export class ServerTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly slots = new Map<string, Slot>();
  private readonly byId = new Map<string, Node>();
  private servers: ServerNode[] = [];
  /** Servers whose password was already asked for in this session (asked again only on request). */
  private readonly prompted = new Set<string>();
  /** Aborted when the extension shuts down. */
  private readonly life = new AbortController();
  private readonly subscriptions: vscode.Disposable[];
  /** Loads started since activation (tests and `npm run bench` count requests per expand). */
  loads = 0;

  constructor(
    private readonly store: ServerStore,
    private readonly secrets: SecretStore,
    private readonly connections: Connections,
    private readonly watcher: WorkWatcher,
    private readonly filters: FilterStore,
    private readonly prompts: Prompts,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.serversChanged()),
      watcher.onDidUpdate(({ item, entity }) => {
        const node = this.byId.get(item.id);
        if (node instanceof EntityNode) { node.entity = entity; this.changed.fire(node); }
      }),
      watcher.onDidChange(() => {
        for (const w of watcher.running()) { if (w.owner) { this.fireId(w.owner.id); } }
      }),
      watcher.onDidEnd(({ work }) => {
        // The sessions under the repository or job the user started the work on are read again.
        if (work.owner) { const owner = this.byId.get(work.owner.id); if (owner) { this.refresh(owner); } }
      }),
    ];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    try {
      if (node instanceof EntityNode) { this.decorate(node); }
      return node.item();
    } catch (e) {
      this.log.error(`Cannot render ${node.id}: ${(e as Error).message}`);
      return new vscode.TreeItem(`(cannot show this item: ${(e as Error).message})`);
    }
  }

  private decorate(node: EntityNode): void {
    node.activity = this.watcher.activityFor(node.id);
    const f = this.filterFor(node);
    node.filterText = f ? describeFilter(f) : undefined;
  }

  private filterFor(node: ServerNode | EntityNode): SessionFilter | undefined {
    return node instanceof EntityNode && node.entity.actions.includes('filter') ? this.filters.get(node.id) : undefined;
  }

  getParent(node: Node): Node | undefined { return node.parent; }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) { return this.roots(); }
    if (node instanceof MessageNode) { return node.options.actions ?? []; }
    if (node instanceof LoadMoreNode || this.life.signal.aborted) { return []; }
    const slot = this.slots.get(node.id);
    if (slot?.listing) { return slot.listing.nodes; }
    // An expand while the same node loads joins that load.
    const s = slot?.loading ? slot : this.startLoad(node);
    const listing = await s.loading!;
    // Refreshed while loading: that result is stale; answer with the newest load's.
    if (this.slots.get(node.id) !== s && !this.life.signal.aborted) { return this.getChildren(node); }
    return listing.nodes;
  }

  private startLoad(node: ServerNode | EntityNode): Slot {
    const s: Slot = { abort: new AbortController() };
    this.slots.set(node.id, s);
    this.loads++;
    const signal = AbortSignal.any([s.abort.signal, this.life.signal]);
    s.loading = this.load(node, undefined, signal).then((listing) => {
      if (this.slots.get(node.id) === s) { s.listing = listing; s.loading = undefined; this.enrich(node, s, listing, signal); }
      return listing;
    });
    return s;
  }

  /** The server nodes, reusing the node objects of servers that are still there (expansion and caches stay). */
  private roots(): ServerNode[] {
    this.store.warnIfWorkspaceServers();
    this.sync(this.store.list());
    void vscode.commands.executeCommand('setContext', 'veeam.hasServers', this.servers.length > 0);
    return this.servers;
  }

  private sync(list: LoadedServer[]): { removed: string[]; changed: ServerNode[] } {
    this.connections.prune(list);
    const old = new Map(this.servers.map((s) => [s.server.key, s]));
    const changed: ServerNode[] = [];
    this.servers = list.map((s) => {
      const existing = old.get(s.key);
      if (!existing) { return new ServerNode(s); }
      old.delete(s.key);
      if (JSON.stringify(existing.server) !== JSON.stringify(s)) { changed.push(existing); }
      existing.server = s;
      return existing;
    });
    for (const s of this.servers) { this.byId.set(s.id, s); }
    const removed = [...old.values()].map((s) => s.id);
    for (const id of removed) { this.dropUnder(id); this.byId.delete(id); }
    return { removed, changed };
  }

  /**
   * The settings changed: a server that was added or removed re-renders the list of servers, a
   * server whose definition changed (a trusted certificate, a new URL) reloads only its own node.
   * Loads of the other servers go on and their listings stay, so an expand in flight is never lost.
   */
  private serversChanged(): void {
    const before = this.servers.map((s) => s.server.key).join('\n');
    const { removed, changed } = this.sync(this.store.list());
    const after = this.servers.map((s) => s.server.key).join('\n');
    if (before !== after || removed.length) { this.changed.fire(undefined); }
    for (const s of changed) { this.refresh(s); }
    void vscode.commands.executeCommand('setContext', 'veeam.hasServers', this.servers.length > 0);
  }

  private async load(node: ServerNode | EntityNode, cursor: string | undefined, signal: AbortSignal): Promise<Listing> {
    const server = node.server;
    try {
      const client = this.connections.client(server);
      const parentEntity = node instanceof EntityNode ? node.entity : undefined;
      const list = async () => {
        // At the server node, connect first so TLS and credential problems show there.
        if (node instanceof ServerNode) { await client.connect(signal); }
        return client.children(parentEntity, cursor, signal, this.filterFor(node));
      };
      let page;
      try {
        page = await list();
      } catch (e) {
        if (node instanceof ServerNode && !signal.aborted && (await this.askPassword(node, toVeeamError(e)))) {
          page = await list();
        } else { throw e; }
      }
      const nodes: Node[] = page.items.map((e) => this.entityNode(node, e));
      if (!cursor && nodes.length === 0) { nodes.push(emptyNode(node)); }
      if (page.next && node instanceof EntityNode) { nodes.push(new LoadMoreNode(node, page.next)); }
      return { nodes, next: page.next, later: page.later };
    } catch (e) {
      const err = toVeeamError(e);
      if (err.kind === 'cancelled') { this.log.debug(`${server.def.name}: a load was cancelled by a refresh.`); }
      else { this.log.warn(`${server.def.name}: ${err.message}`); }
      return { nodes: errorNodes(node, err, !!(await this.secrets.get(server.key))) };
    }
  }

  /** On the first expand without a stored password (or after it was rejected), ask once. */
  private async askPassword(node: ServerNode, err: VeeamError): Promise<boolean> {
    if (err.kind !== 'auth' || this.prompted.has(node.server.key)) { return false; }
    this.prompted.add(node.server.key);
    const had = !!(await this.secrets.get(node.server.key));
    const pw = await this.prompts.password(node.server.def, had ? 'The stored password was rejected.' : undefined);
    if (!pw) { return false; }
    await this.secrets.set(node.server.key, pw);
    return true;
  }

  private entityNode(parent: ServerNode | EntityNode, e: Entity): EntityNode {
    const id = `${parent.id}/${e.key}`;
    const existing = this.byId.get(id);
    let node: EntityNode;
    if (existing instanceof EntityNode && existing.parent === parent) { existing.entity = e; node = existing; }
    else { node = new EntityNode(parent.server, e, parent); this.byId.set(id, node); }
    if (e.status === 'running' && typeInfo(kindOf(parent.server.def.kind), e.type).watch) {
      this.watcher.watch(node, { parent: parent instanceof EntityNode ? parent : undefined });
    }
    return node;
  }

  async loadMore(more: LoadMoreNode): Promise<void> {
    const parent = more.parent;
    const slot = this.slots.get(parent.id);
    if (!slot?.listing || more.loading) { return; }
    more.loading = true;
    this.changed.fire(more);
    const next = await this.load(parent, more.cursor, AbortSignal.any([slot.abort.signal, this.life.signal]));
    // Refreshed meanwhile: the page belongs to a listing that is gone.
    if (this.slots.get(parent.id) !== slot || !slot.listing.nodes.includes(more)) { return; }
    const kept = slot.listing.nodes.filter((n) => n !== more);
    slot.listing = { nodes: [...kept, ...next.nodes], next: next.next };
    this.changed.fire(parent);
    this.enrich(parent, slot, next, AbortSignal.any([slot.abort.signal, this.life.signal]));
  }

  /**
   * A page's `later`, started once its items are shown: the entities it returns replace the listed ones
   * with the same key, in one change of the parent. A refresh meanwhile aborts it and drops its result;
   * when it fails the items stay as they are and the log says why.
   */
  private enrich(parent: ServerNode | EntityNode, slot: Slot, listing: Listing, signal: AbortSignal): void {
    const later = listing.later;
    if (!later) { return; }
    listing.later = undefined;
    const done = later(signal).then((entities) => {
      if (this.slots.get(parent.id) !== slot) { return; }
      for (const e of entities) {
        const n = this.byId.get(parent.childPrefix() + e.key);
        if (n instanceof EntityNode && n.parent === parent) { this.entityNode(parent, e); }
      }
      this.changed.fire(parent);
    }, (e) => {
      const err = toVeeamError(e);
      if (err.kind !== 'cancelled') { this.log.warn(`${parent.server.def.name}: ${err.message}`); }
    });
    slot.later = slot.later ? slot.later.then(() => done) : done;
  }

  /** Resolves when the node's listing has everything its pages' `later` adds (tests, pickers, tools). */
  async settled(node: Node): Promise<void> { await this.slots.get(node.id)?.later; }

  /** Reload a node's children (or everything) from the server. */
  refresh(node?: Node): void {
    if (!node) {
      // Loads still in flight belong to the old tree: abort them (their sockets close).
      for (const s of this.slots.values()) { s.abort.abort(); }
      this.slots.clear();
      for (const k of [...this.byId.keys()]) { if (!(this.byId.get(k) instanceof ServerNode)) { this.byId.delete(k); } }
      this.prompted.clear();
      this.changed.fire(undefined);
      return;
    }
    const target = node instanceof MessageNode || node instanceof LoadMoreNode ? node.parent : node;
    if (!target) { this.refresh(); return; }
    if (target instanceof ServerNode) { this.prompted.delete(target.server.key); }
    this.dropUnder(target.id);
    this.changed.fire(target);
  }

  /** Forget the listings of a node and of everything below it, aborting their loads; the nodes below are released. */
  private dropUnder(id: string): void {
    for (const [k, s] of [...this.slots]) {
      if (k === id || k.startsWith(`${id}/`)) { this.slots.delete(k); s.abort.abort(); }
    }
    for (const k of [...this.byId.keys()]) { if (k.startsWith(`${id}/`)) { this.byId.delete(k); } }
  }

  private fireId(id: string): void {
    const n = this.byId.get(id);
    if (n) { this.changed.fire(n); }
  }

  /** Show a changed entity (after an action) without reloading its parent. */
  update(node: EntityNode, entity: Entity): void {
    node.entity = entity;
    this.changed.fire(node);
  }

  /** Insert an entity under a parent whose listing is loaded (e.g. a sync just started). */
  adopt(parent: EntityNode, e: Entity): EntityNode {
    const node = this.entityNode(parent, e);
    const listing = this.slots.get(parent.id)?.listing;
    if (listing && !listing.nodes.includes(node)) {
      listing.nodes = [node, ...listing.nodes.filter((n) => !(n instanceof MessageNode && n.key === 'empty'))];
      this.changed.fire(parent);
    }
    return node;
  }

  serverNodes(): ServerNode[] { return this.servers.length ? this.servers : this.roots(); }
  serverNode(key: string): ServerNode | undefined { return this.serverNodes().find((s) => s.server.key === key); }
  nodeById(id: string): Node | undefined { return this.byId.get(id); }

  /** Children of a node through the cache (used by pickers so their nodes can be revealed). */
  async entityChildren(node: ServerNode | EntityNode): Promise<EntityNode[]> {
    const nodes = await this.getChildren(node);
    await this.settled(node);
    return nodes.filter((n): n is EntityNode => n instanceof EntityNode);
  }

  /** The listing's nodes of a node without loading (tests). */
  cached(node: ServerNode | EntityNode): Node[] | undefined { return this.slots.get(node.id)?.listing?.nodes; }

  dispose(): void {
    this.life.abort();
    for (const d of this.subscriptions) { d.dispose(); }
    this.changed.dispose();
  }
}
