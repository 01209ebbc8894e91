// A minimal stand-in for the `vscode` module, for `npm run bench` only: it lets the bundled
// extension activate in plain Node so load time and idle traffic can be measured without a UI.
// The integration suite runs the real thing; this stub is never used by tests.
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;
class EventEmitter<T> {
  private ls: Listener<T>[] = [];
  event = (l: Listener<T>) => { this.ls.push(l); return { dispose: () => { this.ls = this.ls.filter((x) => x !== l); } }; };
  fire(e: T) { for (const l of this.ls) { l(e); } }
  dispose() { this.ls = []; }
}
const noop = () => undefined;
const lines: string[] = [];
const keep = (line: string) => { lines.push(line); };
/** Every line written to the extension's log channels so far. */
export function logLines(): readonly string[] { return lines; }
const disposable = { dispose: noop };

export function installVscodeStub(settings: Record<string, unknown>): { commands: Map<string, (...a: unknown[]) => unknown> } {
  const commands = new Map<string, (...a: unknown[]) => unknown>();
  const config = (section: string) => ({
    get: (k: string, d?: unknown) => (`${section}.${k}` in settings ? settings[`${section}.${k}`] : d),
    inspect: (k: string) => ({ globalValue: settings[`${section}.${k}`] }),
    update: async (k: string, v: unknown) => { settings[`${section}.${k}`] = v; },
  });
  const api = {
    EventEmitter,
    TreeItem: class { constructor(public label: unknown, public collapsibleState?: number) {} },
    ThemeIcon: class { constructor(public id: string, public color?: unknown) {} },
    ThemeColor: class { constructor(public id: string) {} },
    MarkdownString: class { value = ''; constructor(v = '') { this.value = v; } appendMarkdown(s: string) { this.value += s; return this; } },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    Uri: { from: (c: Record<string, string>) => ({ ...c, toString: () => `${c.scheme}:${c.path}?${c.query}` }) },
    window: {
      // The log's lines are kept (logLines()): the bench tells a step's own requests from those that follow it.
      createOutputChannel: () => ({ info: keep, warn: keep, error: keep, debug: keep, trace: keep, show: noop, dispose: noop }),
      createTreeView: () => ({ dispose: noop, reveal: async () => undefined, selection: [] }),
      createStatusBarItem: () => ({ show: noop, hide: noop, dispose: noop, text: '', tooltip: '' }),
      withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => unknown) => task({ report: noop }, { onCancellationRequested: () => disposable }),
      showInformationMessage: async () => undefined, showWarningMessage: async () => undefined, showErrorMessage: async () => undefined,
      showInputBox: async () => undefined, showQuickPick: async () => undefined, setStatusBarMessage: () => disposable,
      registerWebviewPanelSerializer: () => disposable,
      tabGroups: { all: [], onDidChangeTabs: () => disposable },
      showTextDocument: async (document: unknown) => ({ document }),
    },
    commands: {
      registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => { commands.set(id, fn); return disposable; },
      executeCommand: async (id: string, ...a: unknown[]) => commands.get(id)?.(...a),
    },
    workspace: {
      getConfiguration: config,
      onDidChangeConfiguration: () => disposable,
      onDidCloseTextDocument: () => disposable,
      registerTextDocumentContentProvider: () => disposable,
      openTextDocument: async (uri: unknown) => ({ uri }),
    },
    env: { clipboard: { writeText: async () => undefined } },
    lm: { registerTool: () => disposable, tools: [] },
  };
  const load = (Module as unknown as { _load: (r: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: unknown })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? api : load.call(this, request, ...rest);
  };
  return { commands };
}

export function fakeContext(): Record<string, unknown> {
  const secrets = new Map<string, string>();
  const state = new Map<string, unknown>();
  return {
    subscriptions: [],
    secrets: {
      get: async (k: string) => secrets.get(k), store: async (k: string, v: string) => { secrets.set(k, v); },
      delete: async (k: string) => { secrets.delete(k); }, onDidChange: () => disposable,
    },
    workspaceState: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => { state.set(k, v); } },
    globalState: { get: (k: string) => state.get(`g:${k}`), update: async (k: string, v: unknown) => { state.set(`g:${k}`, v); } },
    extensionUri: { scheme: 'file', path: '/', toString: () => 'file:///' },
  };
}
