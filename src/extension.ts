// Wiring only: create the services, register the tree, documents and commands.
// No network in activate(): servers are contacted when their node is expanded.
import * as vscode from 'vscode';
import { Log } from './ui/log';
import { ServerStore } from './ui/settings';
import { SecretStore } from './ui/secrets';
import { Connections } from './ui/connections';
import { prompts } from './ui/prompts';
import { WorkWatcher } from './ui/progress';
import { DocumentProvider, SCHEME } from './ui/documents';
import { FilterStore, describeFilter } from './ui/filters';
import { ServerTreeProvider } from './tree/provider';
import { EntityNode, Node } from './tree/nodes';
import { registerCommands } from './commands/register';
import { COMMANDS } from './commands';
import type { Ctx } from './commands/context';

const WATCHED_TYPES = new Set(['jobSession', 'syncSession', 'backupSession', 'replicaSession']);

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext) {
  const log = new Log();
  const store = new ServerStore(log);
  const secrets = new SecretStore(context.secrets, log);
  const connections = new Connections(store, secrets, log);
  const filters = new FilterStore(context.workspaceState);
  const tree = new ServerTreeProvider(store, secrets, connections, prompts, log);
  const view = vscode.window.createTreeView<Node>('veeam.servers', { treeDataProvider: tree, showCollapseAll: true });
  const watcher = new WorkWatcher(tree, connections, store, log);
  const docs = new DocumentProvider(connections);

  // Running sessions the tree lists are followed live (a job's own status follows its session).
  tree.onRunning = (node) => { if (WATCHED_TYPES.has(node.entity.type)) { watcher.watch(node); } };
  tree.filterFor = (node) => (node instanceof EntityNode && node.entity.actions.includes('filter') ? filters.get(node.id) : undefined);
  tree.decorate = (node) => {
    const f = node.entity.actions.includes('filter') ? filters.get(node.id) : undefined;
    node.filterText = f ? describeFilter(f) : undefined;
  };

  const ctx: Ctx = { tree, view, store, secrets, connections, watcher, docs, prompts, log, filters };
  context.subscriptions.push(
    log, tree, view, watcher, docs,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    store.onDidChange(() => tree.refresh()),
    ...registerCommands(ctx, COMMANDS),
  );
  shutdown = () => connections.disposeAll();
  void vscode.commands.executeCommand('setContext', 'veeam.hasServers', store.list().length > 0);
  // Returned for integration tests: the same services the commands use.
  return ctx;
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
}
