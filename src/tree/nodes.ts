// The tree's node classes. Each turns model data into a TreeItem; the provider does the fetching.
import * as vscode from 'vscode';
import { Entity, EntityStatus, detailsOf, typeInfo } from '../api/model';
import { kindOf } from '../api/kinds';
import { hostOf } from '../api/format';
import type { LoadedServer } from '../services/settings';

export type Node = ServerNode | EntityNode | MessageNode | LoadMoreNode;

export class ServerNode {
  readonly kind = 'server';
  readonly parent = undefined;
  constructor(public server: LoadedServer) {}
  get id(): string { return `srv:${this.server.key}`; }
  childPrefix(): string { return `${this.id}/`; }

  item(): vscode.TreeItem {
    const { def } = this.server;
    const t = new vscode.TreeItem(def.name, vscode.TreeItemCollapsibleState.Collapsed);
    t.id = this.id;
    const kindLabel = kindOf(def.kind)?.shortLabel ?? def.kind;
    t.description = `${kindLabel} · ${hostOf(def.url)}${/^http:/i.test(def.url) ? ' · plain HTTP' : ''}`;
    t.iconPath = new vscode.ThemeIcon(this.server.problem ? 'server-environment' : 'server', this.server.problem ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(def.name)}**\n\n`);
    md.appendMarkdown(`| | |\n|---|---|\n| Kind | ${escapeMd(kindOf(def.kind)?.label ?? def.kind)} |\n| URL | ${escapeMd(def.url)} |\n| User | ${escapeMd(def.username)} |\n`);
    md.appendMarkdown(`| Certificate | ${def.trustedCertificate ? `trusted by fingerprint ${escapeMd(def.trustedCertificate.slice(0, 23))}…` : def.caFile ? `CA file ${escapeMd(def.caFile)}` : 'system trust store'} |\n`);
    if (def.apiVersion) { md.appendMarkdown(`| API version | ${escapeMd(def.apiVersion)} (pinned) |\n`); }
    t.tooltip = md;
    t.contextValue = 'veeamServer';
    return t;
  }
}

export class EntityNode {
  readonly kind = 'entity';
  /** Set while a sync of this repository (or a run of this job) is being watched. */
  activity?: string;
  /** The active session filter of a sessions folder, e.g. 'Filtered: Failed, last 24 h'. */
  filterText?: string;
  /** The parent's id plus the entity's key: unique even where one session is listed in two places (EM). */
  readonly id: string;
  /** The start of the children's ids (this id and '/'), made once: a child's id is then one string of two parts. */
  private prefix?: string;
  constructor(public server: LoadedServer, public entity: Entity, readonly parent: ServerNode | EntityNode) {
    this.id = parent.childPrefix() + entity.key;
  }
  childPrefix(): string { return (this.prefix ??= `${this.id}/`); }

  item(): vscode.TreeItem {
    const e = this.entity;
    const t = new vscode.TreeItem(e.name, e.hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    t.id = this.id;
    t.description = this.activity ?? this.filterText ?? e.description;
    t.iconPath = this.activity ? new vscode.ThemeIcon('sync~spin') : icon(this.server, e);
    t.tooltip = tooltip(e);
    t.contextValue = ['veeamEntity', e.type, ...e.actions, `status-${e.status ?? 'none'}`, ...(this.filterText ? ['filtered'] : [])].join(';');
    if (e.type !== 'folder' && !e.hasChildren && e.actions.includes('openJson')) {
      // A click on a leaf opens its document; expanding is not possible anyway.
      t.command = { command: 'veeam.openJson', title: 'Open as JSON', arguments: [this] };
    }
    return t;
  }
}

export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parent: ServerNode | EntityNode | undefined,
    readonly key: string,
    readonly label: string,
    readonly options: {
      description?: string; tooltip?: string; icon?: string; color?: string;
      command?: vscode.Command; actions?: MessageNode[]; contextValue?: string;
    } = {},
  ) {}
  get id(): string { return `${this.parent?.id ?? ''}/msg:${this.key}`; }

  item(): vscode.TreeItem {
    const o = this.options;
    const t = new vscode.TreeItem(this.label, o.actions?.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    t.id = this.id;
    t.description = o.description;
    t.tooltip = o.tooltip ? new vscode.MarkdownString(o.tooltip) : undefined;
    t.iconPath = o.icon ? new vscode.ThemeIcon(o.icon, o.color ? new vscode.ThemeColor(o.color) : undefined) : undefined;
    t.command = o.command;
    t.contextValue = o.contextValue ?? 'veeamMessage';
    return t;
  }
}

export class LoadMoreNode {
  readonly kind = 'loadMore';
  loading = false;
  constructor(readonly parent: EntityNode, readonly cursor: string) {}
  get id(): string { return `${this.parent.id}/more:${this.cursor}`; }

  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(this.loading ? 'Loading…' : 'Load more…', vscode.TreeItemCollapsibleState.None);
    t.id = this.id;
    t.iconPath = new vscode.ThemeIcon(this.loading ? 'loading~spin' : 'ellipsis');
    t.command = { command: 'veeam.loadMore', title: 'Load more', arguments: [this] };
    t.contextValue = 'veeamLoadMore';
    return t;
  }
}

const STATUS_ICON: Record<EntityStatus, [string, string | undefined]> = {
  success: ['pass', 'testing.iconPassed'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  failed: ['error', 'testing.iconFailed'],
  running: ['sync~spin', 'charts.blue'],
  queued: ['clock', undefined],
  stopped: ['debug-stop', 'disabledForeground'],
  disabled: ['circle-slash', 'disabledForeground'],
  idle: ['circle-outline', undefined],
  unknown: ['question', undefined],
};

function icon(server: LoadedServer, e: Entity): vscode.ThemeIcon {
  const info = typeInfo(kindOf(server.def.kind), e.type);
  const own = e.icon ?? info.icon;
  const status = e.status && e.status !== 'idle' && e.status !== 'unknown' ? e.status : undefined;
  // Infrastructure (repositories, organizations, backup servers) keeps its icon unless it needs attention.
  if (status && (info.statusIcon !== false || status === 'warning' || status === 'failed')) {
    const [id, color] = STATUS_ICON[status];
    return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  }
  return new vscode.ThemeIcon(own);
}

function tooltip(e: Entity): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMd(e.name)}**${e.description ? ` — ${escapeMd(e.description)}` : ''}\n\n`);
  const details = detailsOf(e);
  if (details.length) {
    md.appendMarkdown('| | |\n|---|---|\n');
    for (const d of details) { md.appendMarkdown(`| ${escapeMd(d.label)} | ${escapeMd(d.value)} |\n`); }
  }
  if (e.id) { md.appendMarkdown(`\nID \`${e.id.replace(/`/g, '')}\``); }
  return md;
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&').replace(/\n/g, ' ');
}
