// Open the log of a session named by server key and entity — the overview's rows and the failure
// watch's notifications have no tree node to hand over: `{ serverKey, entity }`.
import * as vscode from 'vscode';
import { VeeamError } from '../api/errors';
import type { Entity } from '../api/model';
import { abortOn } from './cancel';
import type { Command } from './context';

export interface SessionRef { serverKey: string; entity: Entity }

export function sessionRef(arg: unknown): SessionRef {
  const a = arg as Partial<SessionRef> | undefined;
  if (!a || typeof a.serverKey !== 'string' || !a.entity || typeof a.entity.key !== 'string') {
    throw new VeeamError('config', 'This command needs a session ({ serverKey, entity }); use "Open Session Log" on a tree node instead.');
  }
  return a as SessionRef;
}

export const openSessionLogFor: Command = {
  id: 'veeam.openSessionLogFor',
  async run(ctx, arg) {
    const { serverKey, entity } = sessionRef(arg);
    const server = ctx.store.list().find((s) => s.key === serverKey);
    if (!server) { throw new VeeamError('config', 'That server is no longer in the settings.'); }
    const item = { id: `ref:${serverKey}/${entity.key}`, server, entity };
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Veeam: reading the log of ${entity.jobName ?? entity.name}`, cancellable: true },
      (_p, token) => ctx.logs.open(item, abortOn(token)));
  },
};
