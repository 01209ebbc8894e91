// What every command gets: the extension's services, wired once in extension.ts.
import type * as vscode from 'vscode';
import type { ServerTreeProvider } from '../tree/provider';
import type { Node } from '../tree/nodes';
import type { ServerStore } from '../services/settings';
import type { SecretStore } from '../services/secrets';
import type { Connections } from '../services/connections';
import type { WorkWatcher } from '../services/work';
import type { FilterStore } from '../services/filters';
import type { Prompts } from '../services/types';
import type { DocumentProvider } from '../ui/documents';
import type { LogDocuments } from '../ui/logDocuments';
import type { ProgressStatusBar } from '../ui/statusBar';
import type { Log } from '../ui/log';
import type { FailureWatch } from '../services/failureWatch';
import type { FailureNotifications } from '../ui/failureNotifications';

export interface Ctx {
  tree: ServerTreeProvider;
  view: vscode.TreeView<Node>;
  store: ServerStore;
  secrets: SecretStore;
  connections: Connections;
  watcher: WorkWatcher;
  statusBar: ProgressStatusBar;
  docs: DocumentProvider;
  logs: LogDocuments;
  prompts: Prompts;
  log: Log;
  filters: FilterStore;
  failureWatch: FailureWatch;
  notifications: FailureNotifications;
  /** For the overview panel: its files (media/) and its global state (capacity history). */
  extension: { uri: vscode.Uri; globalState: vscode.Memento };
}

export interface Command {
  id: string;
  run(ctx: Ctx, ...args: unknown[]): unknown;
}
