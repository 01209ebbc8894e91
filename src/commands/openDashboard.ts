// Veeam: Open Overview — the dashboard of every server (view title, palette) or of one (server context
// menu); `{ section: 'attention' }` opens it at Needs attention (the failure watch's Show All). The panel's
// code is its own bundle (dist/dashboard.js), required here on first use, so activation never loads it;
// the serializer brings the panel back after a reload with the state its webview kept.
import * as vscode from 'vscode';
import { kindOf } from '../api/kinds';
import { ServerNode } from '../tree/nodes';
import type { Command, Ctx } from './context';

type Dashboard = typeof import('../dashboard');
let loaded: Dashboard | undefined;

/** The overview's module: a relative require is a split point (esbuild.mjs), so it is dist/dashboard.js, loaded on first use. */
function dashboard(): Dashboard {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('../dashboard') as Dashboard;
  return loaded;
}

function deps(ctx: Ctx): import('../dashboard').DashboardDeps {
  return {
    store: ctx.store, connections: ctx.connections, watcher: ctx.watcher, log: ctx.log,
    extensionUri: ctx.extension.uri, globalState: ctx.extension.globalState, kindOf,
  };
}

export const openDashboard: Command = {
  id: 'veeam.openDashboard',
  run(ctx, arg) {
    const o = arg && typeof arg === 'object' && !(arg instanceof ServerNode) ? arg as { serverKey?: string; section?: 'attention' } : {};
    const serverKey = arg instanceof ServerNode ? arg.server.key : typeof arg === 'string' ? arg : o.serverKey;
    return dashboard().open(deps(ctx), { serverKey, section: o.section });
  },
};

export function registerDashboardSerializer(ctx: Ctx): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer('veeam.dashboard', {
    async deserializeWebviewPanel(panel, state) { dashboard().restore(deps(ctx), panel, state); },
  });
}
