// Failures become nodes that say what is wrong and offer the fix — never pop-ups.
import { VeeamError } from '../api/errors';
import { formatFingerprint } from '../api/http/tls';
import { typeInfo } from '../api/model';
import { kindOf } from '../api/kinds';
import { EntityNode, MessageNode, ServerNode } from './nodes';

const RED = 'testing.iconFailed';
const YELLOW = 'problemsWarningIcon.foreground';

export function errorNodes(parent: ServerNode | EntityNode, err: VeeamError, hasPassword: boolean): MessageNode[] {
  const server = parent.server;
  const arg = [server.key];
  const action = (key: string, label: string, icon: string, command: string, args: unknown[] = arg) =>
    new MessageNode(parent, `${key}`, label, { icon, command: { command, title: label, arguments: args }, contextValue: 'veeamAction' });
  const enterPassword = action('fix-password', 'Enter Password…', 'key', 'veeam.enterPassword');
  const trust = action('fix-trust', 'Trust Certificate…', 'shield', 'veeam.trustCertificate');
  const edit = action('fix-edit', 'Edit Server…', 'edit', 'veeam.editServer');
  const retry = action('fix-retry', 'Retry', 'refresh', 'veeam.refresh', [parent]);
  const showLog = action('fix-log', 'Show Log', 'output', 'veeam.showLog', []);
  const detail = [
    err.extra.serverMessage && err.extra.serverMessage !== err.message ? `Server: ${err.extra.serverMessage}` : undefined,
    err.extra.errorCode ? `Error code: ${err.extra.errorCode}` : undefined,
    err.status ? `HTTP status: ${err.status}` : undefined,
    err.extra.path ? `Request: ${err.extra.method ?? ''} ${err.extra.path}` : undefined,
  ].filter(Boolean).join('  \n');

  const node = (label: string, icon: string, color: string, actions: MessageNode[], description?: string) =>
    [new MessageNode(parent, `error-${err.kind}`, label, {
      icon, color, description, actions, command: actions[0]?.options.command,
      tooltip: `${err.message}${detail ? `\n\n${detail}` : ''}`, contextValue: `veeamError;${err.kind}`,
    })];

  switch (err.kind) {
    case 'auth':
      return hasPassword
        ? node('Authentication failed — Enter password…', 'key', RED, [enterPassword, edit, showLog], err.extra.serverMessage)
        : node('Password required — Enter password…', 'key', YELLOW, [enterPassword, edit]);
    case 'certificate': {
      const c = err.extra.certificate;
      if (c?.pinnedFingerprint) {
        return node('Certificate changed — connection refused', 'shield', RED,
          [action('fix-trust', 'Review and Trust New Certificate…', 'shield', 'veeam.trustCertificate'), edit, showLog],
          `trusted ${short(c.pinnedFingerprint)}, now ${short(c.fingerprint256)}`);
      }
      return node(`Untrusted certificate — ${err.message.replace(/\.$/, '')}`, 'shield', YELLOW, [trust, edit, showLog],
        c ? `SHA-256 ${short(c.fingerprint256)}` : undefined);
    }
    case 'network':
    case 'timeout':
      return node(`Cannot connect: ${err.message}`, 'debug-disconnect', RED, [retry, edit, showLog]);
    case 'http':
      return node(err.message, 'error', RED, [retry, showLog]);
    case 'malformed':
      return node(`Unexpected answer: ${err.message}`, 'warning', YELLOW, [retry, showLog]);
    case 'config':
      return node(err.message, 'gear', YELLOW, [edit, showLog]);
    case 'cancelled':
      return node('Loading was cancelled', 'circle-slash', YELLOW, [retry]);
  }
}

function short(fp: string): string {
  return `${formatFingerprint(fp).slice(0, 11)}…`;
}

/** 'No jobs', 'No synchronization sessions': what the parent's kind says an empty listing holds. */
export function emptyNode(parent: ServerNode | EntityNode): MessageNode {
  return new MessageNode(parent, 'empty', `No ${emptyWhat(parent)}`, { icon: 'info', contextValue: 'veeamEmpty' });
}

function emptyWhat(node: ServerNode | EntityNode): string {
  if (node instanceof ServerNode) { return 'items'; }
  const e = node.entity;
  if (e.type === 'folder') { return e.name.toLowerCase(); }
  return typeInfo(kindOf(node.server.def.kind), e.type).emptyChildren ?? 'items';
}
