// Refresh in the editor title of a veeam: document: re-fetch from the server.
import * as vscode from 'vscode';
import { SCHEME } from '../ui/documents';
import type { Command } from './context';
import { abortOn } from './cancel';

export const refreshDocument: Command = {
  id: 'veeam.refreshDocument',
  async run(ctx, uri) {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== SCHEME) { return; }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Veeam: refreshing document', cancellable: true },
      (_p, token) => ctx.docs.refresh(target, abortOn(token)));
  },
};
