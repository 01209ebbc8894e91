// Every question the extension asks the user. One object so integration tests can answer
// for the user (the same code paths run; only the dialog is replaced).
import * as vscode from 'vscode';
import { formatFingerprint } from '../api/http/tls';
import { hostOf } from '../api/format';
import type { Prompts } from '../services/types';

export const prompts: Prompts = {
  async password(def, reason) {
    return vscode.window.showInputBox({
      title: `Veeam: Password for ${def.name}`,
      prompt: `${reason ? `${reason} ` : ''}Password of ${def.username} on ${hostOf(def.url)}. It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : 'Enter the password (Esc to cancel).'),
    });
  },

  async trust(def, cert) {
    const changed = !!cert.pinnedFingerprint;
    const message = changed
      ? `The certificate of ${def.name} has CHANGED since you trusted it.`
      : `The certificate of ${def.name} (${hostOf(def.url)}) is not trusted by this machine.`;
    const detail = [
      cert.reason && !changed ? reasonText(cert.reason) : undefined,
      changed ? `Previously trusted SHA-256: ${formatFingerprint(cert.pinnedFingerprint!)}` : undefined,
      `SHA-256 fingerprint: ${formatFingerprint(cert.fingerprint256)}`,
      `Subject: ${cert.subject}`,
      `Issuer: ${cert.issuer}`,
      `Valid: ${cert.validFrom} → ${cert.validTo}`,
      cert.subjectAltName ? `Names: ${cert.subjectAltName}` : undefined,
      '',
      changed
        ? 'Only trust the new certificate if you know the server\'s certificate was replaced; otherwise someone may be intercepting the connection.'
        : 'Compare the fingerprint with the one shown on the server. "Trust" accepts exactly this certificate for this server only.',
    ].filter((l) => l !== undefined).join('\n');
    const action = changed ? 'Trust New Certificate' : 'Trust';
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },

  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },

  async pick(items, options) {
    return vscode.window.showQuickPick(items, options);
  },
};

function reasonText(code: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED': return 'The certificate has expired.';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': return 'The certificate was issued for another host name.';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': return 'The certificate is self-signed (every Veeam server ships one).';
    default: return `Reason: ${code}`;
  }
}
