// Veeam: Trust Certificate… — shows the server's certificate and pins its fingerprint on "Trust".
// A changed certificate is shown as such (old and new fingerprints) before it can be trusted.
import * as vscode from 'vscode';
import { probeCertificate, normalizeFingerprint } from '../api/http/tls';
import { pickServer } from './pick';
import type { Command } from './context';

export const trustCertificate: Command = {
  id: 'veeam.trustCertificate',
  async run(ctx, arg) {
    const node = await pickServer(ctx, arg);
    if (!node) { return; }
    const { def, key } = node.server;
    const cert = await probeCertificate(def.url);
    if (def.trustedCertificate) {
      if (normalizeFingerprint(def.trustedCertificate) === normalizeFingerprint(cert.fingerprint256)) {
        // Nothing changes, so nothing reloads (a trust written to the settings already reloaded the node).
        void vscode.window.showInformationMessage(`Veeam: The certificate of ${def.name} is already trusted.`);
        return;
      }
      cert.pinnedFingerprint = def.trustedCertificate;
    }
    if (!(await ctx.prompts.trust(def, cert))) { return; }
    await ctx.store.update(key, { trustedCertificate: cert.fingerprint256 });
    ctx.log.info(`Trusted certificate ${cert.fingerprint256} for ${def.name}${cert.pinnedFingerprint ? ` (replacing ${cert.pinnedFingerprint})` : ''}.`);
    // The settings change reloads this server's node only.
    await ctx.connections.forget(key);
  },
};
