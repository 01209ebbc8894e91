// A connection test shared by Add Server, Trust Certificate and Edit Server: connect, and if
// the certificate is not trusted, show it in a modal and pin it on "Trust".
import * as vscode from 'vscode';
import { toVeeamError } from '../api/errors';
import { probeCertificate } from '../api/http/tls';
import type { Ctx } from './context';
import { abortOn } from './cancel';

export async function testConnection(ctx: Ctx, key: string, interactive: boolean): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const server = ctx.store.list().find((s) => s.key === key);
    if (!server) { return false; }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Veeam: Connecting to ${server.def.name}…`, cancellable: true },
        (_p, token) => ctx.connections.client(server).connect(abortOn(token)));
      if (interactive) { void vscode.window.showInformationMessage(`Veeam: Connected to ${server.def.name}.`); }
      return true;
    } catch (e) {
      const err = toVeeamError(e);
      if (err.kind === 'certificate' && interactive && attempt === 0) {
        const cert = err.extra.certificate ?? await probeCertificate(server.def.url);
        if (await ctx.prompts.trust(server.def, cert)) {
          await ctx.store.update(key, { trustedCertificate: cert.fingerprint256 });
          ctx.log.info(`Trusted certificate ${cert.fingerprint256} for ${server.def.name}.`);
          continue;
        }
      }
      if (interactive) {
        void vscode.window.showWarningMessage(`Veeam: ${server.def.name} is saved, but the connection test failed: ${err.message}`);
      }
      return false;
    }
  }
  return false;
}
