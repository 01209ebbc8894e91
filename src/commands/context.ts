// What every command gets: the extension's services, wired once in extension.ts.
import type * as vscode from 'vscode';
import type { ServerTreeProvider } from '../tree/provider';
import type { Node } from '../tree/nodes';
import type { ServerStore } from '../ui/settings';
import type { SecretStore } from '../ui/secrets';
import type { Connections } from '../ui/connections';
import type { WorkWatcher } from '../ui/progress';
import type { DocumentProvider } from '../ui/documents';
import type { Prompts } from '../ui/prompts';
import type { Log } from '../ui/log';
import type { FilterStore } from '../ui/filters';

export interface Ctx {
  tree: ServerTreeProvider;
  view: vscode.TreeView<Node>;
  store: ServerStore;
  secrets: SecretStore;
  connections: Connections;
  watcher: WorkWatcher;
  docs: DocumentProvider;
  prompts: Prompts;
  log: Log;
  filters: FilterStore;
}

export interface Command {
  id: string;
  run(ctx: Ctx, ...args: unknown[]): unknown;
}
