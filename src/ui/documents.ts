// Read-only editor tabs (`veeam:` scheme) with a server's raw payload. The language follows
// the file name (.json/.xml); the editor-title Refresh re-fetches; content is evicted on close.
import * as vscode from 'vscode';
import { pathPart, serverTag } from './serverTag';
import { pretty } from '../api/http/body';
import type { Item } from '../services/types';
import type { Connections } from '../services/connections';

export const SCHEME = 'veeam';

interface Source { node: Item; format: 'json' | 'xml'; text?: string }

export class DocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sources = new Map<string, Source>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly connections: Connections) {
    this.subscriptions.push(vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === SCHEME) { this.sources.delete(d.uri.toString()); }
    }));
  }

  uriFor(node: Item, format: 'json' | 'xml'): vscode.Uri {
    const server = serverTag(node.server.key);
    return vscode.Uri.from({
      scheme: SCHEME,
      path: `/${node.server.def.name.replace(/[\\/:*?"<>|#%]+/g, '_')}/${node.entity.type}/${pathPart(node.entity.name)}.${format}`,
      query: `s=${server}&k=${encodeURIComponent(node.entity.key)}`,
    });
  }

  async open(node: Item, format: 'json' | 'xml', signal?: AbortSignal): Promise<vscode.TextEditor> {
    const uri = this.uriFor(node, format);
    const key = uri.toString();
    const src: Source = this.sources.get(key) ?? { node, format };
    src.node = node;
    src.text = await this.fetch(src, signal);
    this.sources.set(key, src);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async refresh(uri: vscode.Uri, signal?: AbortSignal): Promise<void> {
    const src = this.sources.get(uri.toString());
    if (!src) { throw new Error('This document is no longer linked to a server item; open it again from the tree.'); }
    src.text = await this.fetch(src, signal);
    this.changed.fire(uri);
  }

  private async fetch(src: Source, signal?: AbortSignal): Promise<string> {
    const doc = await this.connections.client(src.node.server).document(src.node.entity, src.format, signal);
    return pretty(doc);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.sources.get(uri.toString())?.text
      ?? '// This Veeam document is no longer loaded. Open it again from the Veeam view.';
  }

  /** Everything currently shown (tests scan it for secrets). */
  texts(): string[] { return [...this.sources.values()].map((s) => s.text ?? ''); }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.subscriptions) { d.dispose(); }
  }
}
