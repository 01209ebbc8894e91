// The panel's HTML: a strict Content-Security-Policy with a fresh nonce on every render, the stylesheet
// and the script from media/ (the only local resource root), nothing inline. The webview never talks to
// a Veeam server (default-src 'none' blocks fetch too): the extension sends it what to draw.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function nonce(): string { return randomBytes(18).toString('base64').replace(/[+/=]/g, ''); }

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, n = nonce()): string {
  const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f)).toString();
  const src = webview.cspSource;
  const csp = [
    "default-src 'none'", `img-src ${src} data:`, `style-src ${src}`, `font-src ${src}`, `script-src 'nonce-${n}'`,
    "base-uri 'none'", "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('dashboard.css')}">
<title>Veeam Overview</title>
</head>
<body>
<main id="app" data-nonce-checked="1"><p class="muted">Loading the Veeam overview…</p></main>
<script nonce="${n}" src="${media('dashboard.js')}"></script>
</body>
</html>`;
}
