// Helpers for the extension-host tests: the extension's own services (returned by activate)
// and a way to read the tree as the user sees it.
import * as vscode from 'vscode';

// Types are structural on purpose: the extension runs from its bundle, so its classes are not
// the ones this test file would import from src/.
export interface Api {
  tree: { getChildren(n?: unknown): Promise<unknown[]>; getTreeItem(n: unknown): vscode.TreeItem; refresh(n?: unknown): void; settled(n: unknown): Promise<void>;
    onDidChangeTreeData: vscode.Event<unknown> };
  store: { list(): { key: string; def: { trustedCertificate?: string; name: string } }[] };
  secrets: { get(k: string): Promise<string | undefined>; set(k: string, v: string): Promise<void> };
  connections: { forget(k: string): Promise<void> };
  watcher: { running(): unknown[]; polls: number };
  statusBar: { item: vscode.StatusBarItem };
  docs: { texts(): string[] };
  prompts: {
    password: (...a: unknown[]) => Promise<string | undefined>;
    trust: (...a: unknown[]) => Promise<boolean>;
    confirm: (...a: unknown[]) => Promise<boolean>;
    pick: (...a: unknown[]) => Promise<unknown>;
  };
  view: vscode.TreeView<unknown>;
  filters: { get(id: string): unknown };
}

export interface TreeNode { node: unknown; item: vscode.TreeItem; label: string }

export async function api(): Promise<Api> {
  const ext = vscode.extensions.getExtension('veeam-explorer.veeam-explorer')!;
  return (await ext.activate()) as Api;
}

/** The children of a node as the tree shows them once settled (a page's `later` applied: EM jobs' last runs). */
export async function children(x: Api, parent?: unknown): Promise<TreeNode[]> {
  const raw = parent && typeof parent === 'object' && 'node' in parent && 'item' in parent ? (parent as TreeNode).node : parent;
  const nodes = await x.tree.getChildren(raw);
  if (raw) { await x.tree.settled(raw); }
  return nodes.map((node) => {
    const item = x.tree.getTreeItem(node);
    const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
    return { node, item, label };
  });
}

export function labels(nodes: TreeNode[]): string[] { return nodes.map((n) => n.label); }

export function byLabel(nodes: TreeNode[], label: string): TreeNode {
  const n = nodes.find((x) => x.label === label);
  if (!n) { throw new Error(`no node "${label}" in ${JSON.stringify(labels(nodes))}`); }
  return n;
}

export async function setServers(list: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('veeam').update('servers', list, vscode.ConfigurationTarget.Global);
}

export async function waitFor<T>(get: () => T, ok: (v: T) => boolean, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (ok(v)) { return v; }
    if (Date.now() > end) { throw new Error(`timed out; last value ${JSON.stringify(v)}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
}
