// The Servers tree: servers → the kind's entities, one page at a time, with errors as nodes.
// Node ids are namespaced by server and stable, so expansion survives refreshes.
import * as vscode from 'vscode';
import { Entity } from '../api/model';
import { VeeamError, toVeeamError } from '../api/errors';
import type { ServerStore } from '../ui/settings';
import type { SecretStore } from '../ui/secrets';
import type { Connections } from '../ui/connections';
import type { Prompts } from '../ui/prompts';
import type { Log } from '../ui/log';
import { EntityNode, LoadMoreNode, MessageNode, Node, ServerNode } from './nodes';
import { emptyNode, errorNodes } from './errors';

interface Listing { nodes: Node[]; next?: string }

export class ServerTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listings = new Map<string, Listing>();
  private readonly byId = new Map<string, Node>();
  private servers: ServerNode[] = [];
  /** Servers whose password was already asked for in this session (asked again only on request). */
  private readonly prompted = new Set<string>();
  /** Cancels every load in flight on a full refresh or when the extension shuts down. */
  private abort = new AbortController();
  /** Called with every running entity the tree lists, so its progress is watched. */
  onRunning?: (node: EntityNode) => void;
  /** Decorates a node before it is shown (e.g. "Syncing 42 %" on a repository). */
  decorate?: (node: EntityNode) => void;

  constructor(
    private readonly store: ServerStore,
    private readonly secrets: SecretStore,
    private readonly connections: Connections,
    private readonly prompts: Prompts,
    private readonly log: Log,
  ) {}

  getTreeItem(node: Node): vscode.TreeItem {
    try {
      if (node instanceof EntityNode) { this.decorate?.(node); }
      return node.item();
    } catch (e) {
      this.log.error(`Cannot render ${node.id}: ${(e as Error).message}`);
      return new vscode.TreeItem(`(cannot show this item: ${(e as Error).message})`);
    }
  }

  getParent(node: Node): Node | undefined { return node.parent; }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) { return this.roots(); }
    if (node instanceof MessageNode) { return node.options.actions ?? []; }
    if (node instanceof LoadMoreNode) { return []; }
    const cached = this.listings.get(node.id);
    if (cached) { return cached.nodes; }
    const signal = this.abort.signal;
    const listing = await this.load(node, undefined, signal);
    // A load overtaken by a full refresh is dropped (the tree asks again).
    if (!signal.aborted) { this.listings.set(node.id, listing); }
    return listing.nodes;
  }

  private roots(): ServerNode[] {
    this.store.warnIfWorkspaceServers();
    const list = this.store.list();
    this.connections.prune(list);
    const old = new Map(this.servers.map((s) => [s.server.key, s]));
    this.servers = list.map((s) => {
      const existing = old.get(s.key);
      if (existing) { existing.server = s; return existing; }
      return new ServerNode(s);
    });
    for (const s of this.servers) { this.byId.set(s.id, s); }
    void vscode.commands.executeCommand('setContext', 'veeam.hasServers', this.servers.length > 0);
    return this.servers;
  }

  private async load(node: ServerNode | EntityNode, cursor: string | undefined, signal: AbortSignal): Promise<Listing> {
    const server = node.server;
    try {
      const client = this.connections.client(server);
      const parentEntity = node instanceof EntityNode ? node.entity : undefined;
      const list = async () => {
        // At the server node, connect first so TLS and credential problems show there.
        if (node instanceof ServerNode) { await client.connect(signal); }
        return client.children(parentEntity, cursor, signal, this.filterFor?.(node));
      };
      let page;
      try {
        page = await list();
      } catch (e) {
        if (node instanceof ServerNode && (await this.askPassword(node, toVeeamError(e)))) {
          page = await list();
        } else { throw e; }
      }
      const nodes: Node[] = page.items.map((e) => this.entityNode(node, e));
      if (!cursor && nodes.length === 0) { nodes.push(emptyNode(node, emptyWhat(node))); }
      if (page.next && node instanceof EntityNode) { nodes.push(new LoadMoreNode(node, page.next)); }
      return { nodes, next: page.next };
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

  /** Sessions folders may carry a filter (EM); set by the filter command. */
  filterFor?: (node: ServerNode | EntityNode) => import('../api/model').SessionFilter | undefined;

  private entityNode(parent: ServerNode | EntityNode, e: Entity): EntityNode {
    const id = `srv:${parent.server.key}/${e.key}`;
    const existing = this.byId.get(id);
    let node: EntityNode;
    if (existing instanceof EntityNode && existing.parent === parent) { existing.entity = e; node = existing; }
    else { node = new EntityNode(parent.server, e, parent); this.byId.set(id, node); }
    if (e.status === 'running') { this.onRunning?.(node); }
    return node;
  }

  async loadMore(more: LoadMoreNode): Promise<void> {
    const parent = more.parent;
    const listing = this.listings.get(parent.id);
    if (!listing || more.loading) { return; }
    more.loading = true;
    this.changed.fire(more);
    const next = await this.load(parent, more.cursor, this.abort.signal);
    const kept = listing.nodes.filter((n) => n !== more);
    this.listings.set(parent.id, { nodes: [...kept, ...next.nodes], next: next.next });
    this.changed.fire(parent);
  }

  /** Reload a node's children (or everything) from the server. */
  refresh(node?: Node): void {
    if (!node) {
      // Loads still in flight belong to the old tree: abort them (their sockets close).
      this.abort.abort();
      this.abort = new AbortController();
      this.listings.clear();
      this.prompted.clear();
      this.changed.fire(undefined);
      return;
    }
    const target = node instanceof MessageNode || node instanceof LoadMoreNode ? node.parent : node;
    if (!target) { this.refresh(); return; }
    if (target instanceof ServerNode) { this.prompted.delete(target.server.key); }
    for (const id of [...this.listings.keys()]) {
      if (id === target.id || id.startsWith(`${target.id}/`)) { this.listings.delete(id); }
    }
    this.changed.fire(target);
  }

  /** Show a changed entity (from polling) without reloading its parent. */
  update(node: EntityNode, entity?: Entity): void {
    if (entity) { node.entity = entity; }
    this.changed.fire(node);
  }

  /** Insert an entity under a parent whose listing is loaded (e.g. a sync just started). */
  adopt(parent: EntityNode, e: Entity): EntityNode {
    const node = this.entityNode(parent, e);
    const listing = this.listings.get(parent.id);
    if (listing && !listing.nodes.includes(node)) {
      listing.nodes = [node, ...listing.nodes.filter((n) => !(n instanceof MessageNode && n.key === 'empty'))];
      this.changed.fire(parent);
    }
    return node;
  }

  serverNodes(): ServerNode[] { return this.servers.length ? this.servers : this.roots(); }
  serverNode(key: string): ServerNode | undefined { return this.serverNodes().find((s) => s.server.key === key); }

  /** Children of a node through the cache (used by pickers so their nodes can be revealed). */
  async entityChildren(node: ServerNode | EntityNode): Promise<EntityNode[]> {
    return (await this.getChildren(node)).filter((n): n is EntityNode => n instanceof EntityNode);
  }

  dispose(): void { this.abort.abort(); this.changed.dispose(); }
}

function emptyWhat(node: ServerNode | EntityNode): string {
  if (node instanceof ServerNode) { return 'items'; }
  const e = node.entity;
  if (e.type === 'folder') { return e.name.toLowerCase(); }
  if (e.type === 'repository') { return 'synchronization sessions'; }
  return 'sessions';
}
