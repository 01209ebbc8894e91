// The panel's HTML (page.ts) with a fresh nonce on every render, the stylesheet and the script from
// media/ (the only local resource root). The webview never talks to a Veeam server (default-src 'none'
// blocks fetch too): the extension sends it what to draw.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { pageHtml } from './page';

export function nonce(): string { return randomBytes(18).toString('base64').replace(/[+/=]/g, ''); }

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, n = nonce()): string {
  const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f)).toString();
  return pageHtml({ cspSource: webview.cspSource, css: media('dashboard.css'), js: media('dashboard.js'), nonce: n });
}
