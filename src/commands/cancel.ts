import type * as vscode from 'vscode';

/** An AbortSignal that fires when the user cancels a progress notification (the request's socket closes). */
export function abortOn(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) { ac.abort(); } else { token.onCancellationRequested(() => ac.abort()); }
  return ac.signal;
}
