// Veeam: Add Server… — kind, URL, user name, password, display name; then a connection test
// that offers to trust a self-signed certificate. The definition is saved whatever the test says.
import * as vscode from 'vscode';
import { KINDS } from '../api/kinds';
import { ServerDefinition, serverKey } from '../api/model';
import { hostOf } from '../api/format';
import { checkUrl } from '../services/settings';
import { testConnection } from './connect';
import type { Command } from './context';

export const addServer: Command = {
  id: 'veeam.addServer',
  async run(ctx) {
    const kind = await vscode.window.showQuickPick(
      KINDS.map((k) => ({ label: k.label, description: `port ${k.defaultPort}`, id: k.id, port: k.defaultPort, k })),
      { title: 'Veeam: Add Server (1/5) — kind', placeHolder: 'Which kind of Veeam server?', ignoreFocusOut: true });
    if (!kind) { return; }
    const url = await vscode.window.showInputBox({
      title: 'Veeam: Add Server (2/5) — Server URL', prompt: 'Server URL', value: 'https://', ignoreFocusOut: true,
      placeHolder: kind.k.urlPlaceholder,
      validateInput: (v) => checkUrl(normalizeUrl(v, kind.port)),
    });
    if (!url) { return; }
    const full = normalizeUrl(url, kind.port);
    const existing = ctx.store.list();
    const username = await vscode.window.showInputBox({
      title: 'Veeam: Add Server (3/5) — User name', prompt: 'User name', placeHolder: kind.k.userPlaceholder, ignoreFocusOut: true,
      validateInput: (v) => !v.trim() ? 'Enter a user name.'
        : existing.some((s) => s.key === serverKey({ url: full, username: v.trim() })) ? 'This server and user are already configured.' : undefined,
    });
    if (!username) { return; }
    const password = await vscode.window.showInputBox({
      title: 'Veeam: Add Server (4/5) — Password', prompt: `Password of ${username.trim()} on ${hostOf(full)} (kept in VS Code's secret storage)`,
      password: true, ignoreFocusOut: true, validateInput: (v) => (v ? undefined : 'Enter the password.'),
    });
    if (password === undefined) { return; }
    const name = await vscode.window.showInputBox({
      title: 'Veeam: Add Server (5/5) — Display name', prompt: 'Display name', value: new URL(full).hostname, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
    });
    if (!name) { return; }
    const def: ServerDefinition = { name: name.trim(), kind: kind.id, url: full, username: username.trim() };
    return addDefinition(ctx, def, password);
  },
};

/** Save a definition and its password, then test it (also used by tests and the demo). */
export async function addDefinition(ctx: Parameters<Command['run']>[0], def: ServerDefinition, password: string): Promise<ServerDefinition> {
  const key = serverKey(def);
  await ctx.secrets.set(key, password);
  await ctx.store.add(def);
  ctx.log.info(`Added server ${def.name} (${def.kind}, ${def.url}, user ${def.username}).`);
  // The settings change adds the server's node; a certificate trusted by the test reloads only that node.
  await testConnection(ctx, key, true);
  return def;
}

export function normalizeUrl(input: string, port: number): string {
  let v = input.trim();
  if (!/^[a-z]+:\/\//i.test(v)) { v = `https://${v}`; }
  try {
    const u = new URL(v);
    if (!u.port && u.protocol === 'https:') { u.port = String(port); }
    return `${u.protocol}//${u.host}`;
  } catch { return v; }
}
