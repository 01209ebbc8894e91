// Language-model tools for VS Code's chat (contributes.languageModelTools in package.json). Activation
// registers thin wrappers only: the implementation (./impl) is required on the first invocation, so
// activation neither evaluates it nor touches the network.
import * as vscode from 'vscode';
import type { Ctx } from '../commands/context';
import type * as Impl from './impl';

/** Every tool, as contributed in package.json (registerTool refuses a name that is not contributed). */
export const TOOL_NAMES = [
  'veeam_listServers', 'veeam_findSessions', 'veeam_runningWork', 'veeam_sessionLog', 'veeam_repositories',
  'veeam_startJob', 'veeam_stopJob', 'veeam_syncRepository',
] as const;
export type ToolName = typeof TOOL_NAMES[number];

type Tool = vscode.LanguageModelTool<Record<string, unknown>>;

/** For tests: whether the implementation was loaded, and the registered tool objects (prepareInvocation). */
export interface ToolsApi {
  loaded(): boolean;
  tool(name: ToolName): Tool;
}

export function registerTools(ctx: Ctx): { disposables: vscode.Disposable[]; api: ToolsApi } {
  let impl: Record<ToolName, Tool> | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => (impl ??= (require('./impl') as typeof Impl).createTools(ctx));
  const wrappers = new Map<ToolName, Tool>(TOOL_NAMES.map((name) => [name, {
    invoke: (options, token) => load()[name].invoke(options, token),
    prepareInvocation: (options, token) => load()[name].prepareInvocation?.(options, token),
  }]));
  return {
    disposables: [...wrappers].map(([name, tool]) => vscode.lm.registerTool(name, tool)),
    api: { loaded: () => impl !== undefined, tool: (name) => wrappers.get(name)! },
  };
}
