// Veeam: Edit Server… — change one field; the password follows a changed URL or user name.
import * as vscode from 'vscode';
import { ServerDefinition, serverKey } from '../api/model';
import { kindOf } from '../api/kinds';
import { checkUrl } from '../services/settings';
import { pickServer } from './pick';
import { testConnection } from './connect';
import type { Command } from './context';

type Field = 'name' | 'url' | 'username' | 'apiVersion' | 'caFile' | 'trustedCertificate' | 'settings';

export const editServer: Command = {
  id: 'veeam.editServer',
  async run(ctx, arg) {
    const node = await pickServer(ctx, arg);
    if (!node) { return; }
    const { def, key } = node.server;
    const pick = await ctx.prompts.pick<{ label: string; description?: string; field: Field }>([
      { label: 'Display name', description: def.name, field: 'name' },
      { label: 'URL', description: def.url, field: 'url' },
      { label: 'User name', description: def.username, field: 'username' },
      { label: 'API version', description: def.apiVersion ?? 'detect automatically', field: 'apiVersion' },
      { label: 'CA certificate file (PEM)', description: def.caFile ?? 'none', field: 'caFile' },
      { label: 'Forget the trusted certificate', description: def.trustedCertificate ? def.trustedCertificate.slice(0, 23) + '…' : 'none trusted', field: 'trustedCertificate' },
      { label: 'Open settings.json', description: 'edit "veeam.servers" by hand', field: 'settings' },
    ], { title: `Veeam: Edit ${def.name}` });
    if (!pick) { return; }
    if (pick.field === 'settings') {
      await vscode.commands.executeCommand('workbench.action.openSettingsJson');
      return;
    }
    let patch: Partial<ServerDefinition>;
    if (pick.field === 'trustedCertificate') {
      patch = { trustedCertificate: undefined };
    } else {
      const value = await vscode.window.showInputBox({
        title: `Veeam: ${pick.label} of ${def.name}`, value: String(def[pick.field] ?? ''), ignoreFocusOut: true,
        prompt: pick.field === 'apiVersion' ? kindOf(def.kind)?.apiVersionHint : undefined,
        validateInput: (v) => pick.field === 'url' ? checkUrl(v.trim())
          : (pick.field === 'name' || pick.field === 'username') && !v.trim() ? 'Required.' : undefined,
      });
      if (value === undefined) { return; }
      patch = { [pick.field]: value.trim() || undefined };
    }
    const next = { ...def, ...patch };
    const newKey = serverKey(next);
    if (newKey !== key) {
      const pw = await ctx.secrets.get(key);
      if (pw) { await ctx.secrets.set(newKey, pw); }
      await ctx.secrets.delete(key);
    }
    // The settings change reloads this server's node (or re-lists the servers when its key changed).
    await ctx.connections.forget(key);
    await ctx.store.update(key, patch);
    if (pick.field === 'url' || pick.field === 'caFile' || pick.field === 'trustedCertificate') {
      await testConnection(ctx, newKey, true);
    }
  },
};
