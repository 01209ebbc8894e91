// Server definitions live in the application-scoped setting `veeam.servers`: a workspace
// cannot redirect a stored password to another host, so workspace values are ignored.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ServerDefinition, serverKey } from '../api/model';
import { KINDS, kindOf } from '../api/kinds';
import type { Logger as Log } from './types';

export type WatchMode = 'off' | 'failed' | 'failedAndWarning';

export interface HttpSettings { timeoutMs: number; connectTimeoutMs: number; pageSize: number }

export interface LoadedServer {
  def: ServerDefinition;
  key: string;
  /** Why the entry cannot be used as written, shown on its node. */
  problem?: string;
}

export class ServerStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private warnedWorkspace = false;
  private readonly warnedHttp = new Set<string>();
  private readonly listener: vscode.Disposable;

  constructor(private readonly log: Log) {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('veeam.servers')) { this.changed.fire(); } });
  }

  dispose(): void { this.listener.dispose(); this.changed.dispose(); }

  /**
   * Say once in the log that a workspace-level "veeam.servers" is ignored. VS Code drops application-scoped
   * values from workspace settings before inspect() sees them, so the workspace's settings files are read
   * too; called when the tree lists its servers, not on every lookup (list() runs on every load and poll).
   */
  warnIfWorkspaceServers(): void {
    if (this.warnedWorkspace) { return; }
    const info = vscode.workspace.getConfiguration('veeam').inspect<unknown[]>('servers');
    if (info?.workspaceValue !== undefined || info?.workspaceFolderValue !== undefined || workspaceDefinesServers()) {
      this.warnedWorkspace = true;
      this.log.warn('A workspace-level "veeam.servers" is ignored: server definitions are read from user settings only, so a workspace cannot redirect your credentials.');
    }
  }

  list(): LoadedServer[] {
    const info = vscode.workspace.getConfiguration('veeam').inspect<unknown[]>('servers');
    const raw = Array.isArray(info?.globalValue) ? info!.globalValue : [];
    const seen = new Set<string>();
    return raw.map((r, i) => {
      const { def, problem } = validate(r, i);
      if (!problem && /^http:/i.test(def.url) && !this.warnedHttp.has(def.url)) {
        this.warnedHttp.add(def.url);
        this.log.warn(`${def.name} uses plain HTTP (${def.url}): accepted only because it is this machine; password and data are not encrypted.`);
      }
      let key = serverKey(def);
      if (seen.has(key)) { key = `${key}#${i}`; }
      seen.add(key);
      return { def, key, problem };
    });
  }

  private async write(list: ServerDefinition[]): Promise<void> {
    await vscode.workspace.getConfiguration('veeam').update('servers', list, vscode.ConfigurationTarget.Global);
  }

  private raw(): ServerDefinition[] {
    const v = vscode.workspace.getConfiguration('veeam').inspect<ServerDefinition[]>('servers')?.globalValue;
    return Array.isArray(v) ? [...v] : [];
  }

  async add(def: ServerDefinition): Promise<void> { await this.write([...this.raw(), clean(def)]); }

  /** Replace the entry whose key is `key` (as listed), keeping every other entry untouched. */
  async update(key: string, patch: Partial<ServerDefinition>): Promise<void> {
    const list = this.raw();
    const i = this.list().findIndex((s) => s.key === key);
    if (i < 0 || i >= list.length) { throw new Error('That server is no longer in the settings.'); }
    list[i] = clean({ ...list[i], ...patch });
    await this.write(list);
  }

  async remove(key: string): Promise<void> {
    const list = this.raw();
    const i = this.list().findIndex((s) => s.key === key);
    if (i >= 0) { list.splice(i, 1); await this.write(list); }
  }

  http(): HttpSettings {
    const c = vscode.workspace.getConfiguration('veeam');
    return {
      timeoutMs: Math.max(1, c.get<number>('http.timeoutSeconds', 30)) * 1000,
      connectTimeoutMs: Math.max(1, c.get<number>('http.connectTimeoutSeconds', 10)) * 1000,
      pageSize: Math.min(1000, Math.max(5, c.get<number>('sessions.pageSize', 50))),
    };
  }

  /** The failure watch: what it announces and how often it looks (minutes; at least one). */
  watchSettings(): { mode: WatchMode; intervalMs: number } {
    const c = vscode.workspace.getConfiguration('veeam');
    const m = c.get<string>('watch.failures', 'off');
    const mode: WatchMode = m === 'failed' || m === 'failedAndWarning' ? m : 'off';
    return { mode, intervalMs: Math.max(1, c.get<number>('watch.intervalMinutes', 5)) * 60_000 };
  }

  /** Repositories at or above this fill (percent) stand out on the dashboard. */
  warnPercent(): number {
    return Math.min(100, Math.max(1, vscode.workspace.getConfiguration('veeam').get<number>('dashboard.warnPercent', 80)));
  }

  pollIntervalMs(): number {
    return Math.max(1, vscode.workspace.getConfiguration('veeam').get<number>('pollIntervalSeconds', 5)) * 1000;
  }
}

function workspaceDefinesServers(): boolean {
  const files = [vscode.workspace.workspaceFile, ...(vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'))];
  return files.some((u) => {
    if (u?.scheme !== 'file') { return false; }
    try { return /"veeam\.servers"\s*:/.test(fs.readFileSync(u.fsPath, 'utf8')); } catch { return false; }
  });
}

/** The entry as written back: fields cleared by a patch are dropped, every other field (also ones this version does not know) is kept. */
function clean(d: ServerDefinition): ServerDefinition {
  const out: Record<string, unknown> = { ...d, url: d.url.replace(/\/+$/, '') };
  for (const k of Object.keys(out)) { if (out[k] === undefined || out[k] === '') { delete out[k]; } }
  return out as unknown as ServerDefinition;
}

/** Check one hand-edited entry; a bad entry still shows up (with its problem), nothing is dropped. */
export function validate(r: unknown, i: number): { def: ServerDefinition; problem?: string } {
  const o = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : '');
  const def: ServerDefinition = {
    name: s('name') || s('url') || `Server ${i + 1}`, kind: s('kind') || KINDS[0].id,
    url: s('url').replace(/\/+$/, ''), username: s('username'),
    trustedCertificate: s('trustedCertificate') || undefined, caFile: s('caFile') || undefined, apiVersion: s('apiVersion') || undefined,
    watch: o.watch === false ? false : undefined, timeZone: s('timeZone') || undefined,
  };
  let problem: string | undefined;
  if (!kindOf(def.kind)) { problem = `Unknown server kind "${def.kind}" (expected one of ${KINDS.map((k) => `"${k.id}"`).join(', ')}).`; }
  else if (!def.url) { problem = 'The server has no "url".'; }
  else if (!def.username) { problem = 'The server has no "username".'; }
  else { problem = checkUrl(def.url); }
  return { def, problem };
}

export function checkUrl(url: string): string | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return `"${url}" is not a valid URL (expected https://host:port).`; }
  if (u.username || u.password) { return 'Put the user name in "username" and never a password in the URL.'; }
  if (u.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
    return 'Plain HTTP would send the password unencrypted; use https:// (plain HTTP is only accepted for 127.0.0.1/localhost).';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') { return `Unsupported scheme ${u.protocol} (use https://).`; }
  if (u.pathname !== '/' && u.pathname !== '') { return `Use the server's base URL without a path (https://${u.host}).`; }
  return undefined;
}
