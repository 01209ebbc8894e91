// Wiring only: create the services, then the views on them, then the commands and the chat tools.
// No network in activate(): servers are contacted when their node is expanded.
import * as vscode from 'vscode';
import { ServerStore } from './services/settings';
import { SecretStore } from './services/secrets';
import { Connections } from './services/connections';
import { WorkWatcher } from './services/work';
import { FilterStore } from './services/filters';
import { FailureWatch } from './services/failureWatch';
import { Log } from './ui/log';
import { prompts } from './ui/prompts';
import { ProgressStatusBar } from './ui/statusBar';
import { DocumentProvider, SCHEME } from './ui/documents';
import { LOG_SCHEME, LogDocuments } from './ui/logDocuments';
import { FailureNotifications } from './ui/failureNotifications';
import { ServerTreeProvider } from './tree/provider';
import type { Node } from './tree/nodes';
import { registerCommands } from './commands/register';
import { COMMANDS } from './commands';
import { registerDashboardSerializer } from './commands/openDashboard';
import type { Ctx } from './commands/context';
import { registerTools } from './tools';

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext) {
  const log = new Log();
  const store = new ServerStore(log);
  const secrets = new SecretStore(context.secrets, log);
  const connections = new Connections(store, secrets, log);
  const filters = new FilterStore(context.workspaceState);
  const watcher = new WorkWatcher(connections, store, log);
  const statusBar = new ProgressStatusBar(watcher);
  const tree = new ServerTreeProvider(store, secrets, connections, watcher, filters, prompts, log);
  const view = vscode.window.createTreeView<Node>('veeam.servers', { treeDataProvider: tree, showCollapseAll: true });
  const docs = new DocumentProvider(connections);
  const logs = new LogDocuments(connections, store, log);
  const failureWatch = new FailureWatch(store, connections, context.globalState, log);
  const notifications = new FailureNotifications(failureWatch);

  const ctx: Ctx = { tree, view, store, secrets, connections, watcher, statusBar, docs, logs, prompts, log, filters, failureWatch, notifications,
    extension: { uri: context.extensionUri, globalState: context.globalState } };
  const tools = registerTools(ctx);
  context.subscriptions.push(
    log, store, secrets, watcher, statusBar, tree, view, docs, logs, failureWatch, notifications, registerDashboardSerializer(ctx),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, logs),
    ...registerCommands(ctx, COMMANDS),
    ...tools.disposables,
  );
  shutdown = () => connections.disposeAll();
  void vscode.commands.executeCommand('setContext', 'veeam.hasServers', store.list().length > 0);
  // Returned for integration tests: the same services the commands use, and the chat tools.
  return Object.assign(ctx, { tools: tools.api });
}

export async function deactivate(): Promise<void> {
  await shutdown?.();
}
