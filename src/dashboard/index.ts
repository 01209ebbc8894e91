// The "Veeam Overview" webview panel: loads every configured server's sessions ("sessions since T") and
// repositories, aggregates them (aggregate.ts) and sends the webview only what it draws (protocol.ts).
// This file and everything it imports are a bundle of their own (dist/dashboard.js), required on first
// use by the Open Overview command or the panel serializer: activation never loads it. So it imports
// from src/services only types (the services are handed in), and from src/api only types and pure
// functions (a class here would be a second copy of the extension's own).
import * as vscode from 'vscode';
import type { Entity, KindInfo } from '../api/model';
import type { LoadedServer, ServerStore } from '../services/settings';
import type { Connections } from '../services/connections';
import type { Watched, WorkWatcher } from '../services/work';
import type { Item, Logger } from '../services/types';
import { ServerInput, sessionsOnDay, sinceFor } from './aggregate';
import { overviewData, sessionRow } from './overview';
import {
  OverviewData, PanelState, RenderedReport, RunningRow, Section, ServerStatus, SessionRow, ToExtension, ToWebview, VIEW_TYPE,
  cleanState, isToExtension,
} from './protocol';
import { panelHtml } from './html';
import { CapacityHistory } from './history';

export interface DashboardDeps {
  store: ServerStore;
  connections: Connections;
  watcher: WorkWatcher;
  log: Logger;
  extensionUri: vscode.Uri;
  globalState: vscode.Memento;
  kindOf(id: string): KindInfo | undefined;
}

export interface OpenOptions { serverKey?: string; section?: Section }

/** Sessions asked for per server (30 days of a busy server fit; more is said in the panel). */
const SESSION_LIMIT = 50_000;
/** Loaded data is reused for this long when the panel is shown again or reopened. */
const FRESH_MS = 120_000;
const DAY_ROWS = 500;

interface Loaded { input: ServerInput; server: LoadedServer; days: number; at: number; truncated: boolean }

let current: DashboardPanel | undefined;

/** Open the overview (or bring it forward), for every server or one. Returns the panel's controller. */
export function open(deps: DashboardDeps, o: OpenOptions = {}): DashboardPanel {
  if (current) {
    current.reveal(o);
    return current;
  }
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Veeam Overview', vscode.ViewColumn.Active, options(deps));
  current = new DashboardPanel(deps, panel, cleanState({ serverKey: o.serverKey }), o.section);
  return current;
}

/** Bring a panel back after a reload (WebviewPanelSerializer), with the state its webview kept. */
export function restore(deps: DashboardDeps, panel: vscode.WebviewPanel, state: unknown): DashboardPanel {
  current?.dispose();
  panel.webview.options = options(deps);
  current = new DashboardPanel(deps, panel, cleanState(state));
  return current;
}

export function active(): DashboardPanel | undefined { return current; }

function options(deps: DashboardDeps): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'media')], enableFindWidget: true };
}

export class DashboardPanel {
  private state: PanelState;
  private readonly loaded = new Map<string, Loaded>();
  private statuses: ServerStatus[] = [];
  private abort?: AbortController;
  private loading?: Promise<void>;
  private readonly refs = new Map<string, { server: LoadedServer; entity: Entity }>();
  private refSeq = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly history: CapacityHistory;
  private pendingSection?: Section;
  private dataTimer?: NodeJS.Timeout;
  private readonly posted = new vscode.EventEmitter<ToWebview>();
  private readonly rendered = new vscode.EventEmitter<RenderedReport>();
  /** Every message sent to the webview (tests). */
  readonly onDidPost = this.posted.event;
  /** The webview's report after each drawing (tests). */
  readonly onDidRender = this.rendered.event;
  lastData?: OverviewData;
  lastReport?: RenderedReport;
  /** Server reads made by this panel (sessions + repositories requests), for tests and the bench. */
  reads = 0;
  disposed = false;

  constructor(private readonly deps: DashboardDeps, readonly panel: vscode.WebviewPanel, state: PanelState, section?: Section) {
    this.state = state;
    this.pendingSection = section;
    this.history = new CapacityHistory(deps.globalState);
    panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'veeam.svg');
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: unknown) => { if (isToExtension(m)) { void this.handle(m); } }),
      panel.onDidDispose(() => this.dispose()),
      deps.watcher.onDidChange(() => this.postRunning()),
      deps.watcher.onDidUpdate(({ item, entity }) => this.updated(item, entity)),
      deps.store.onDidChange(() => { this.title(); void this.load(false); }),
    );
    this.title();
    this.render();
  }

  /** A fresh page with a new nonce; the webview answers 'ready' and gets everything again. */
  private render(): void { this.panel.webview.html = panelHtml(this.panel.webview, this.deps.extensionUri); }

  reveal(o: OpenOptions): void {
    const scope = o.serverKey;
    if (o.section) { this.pendingSection = o.section; }
    if (scope !== this.state.serverKey) {
      this.state = { ...this.state, serverKey: scope };
      this.title();
      this.init();
      void this.load(false);
    } else if (o.section) {
      this.post({ type: 'focus', section: o.section });
    }
    this.panel.reveal(undefined, false);
  }

  private servers(): LoadedServer[] {
    const all = this.deps.store.list();
    return this.state.serverKey ? all.filter((s) => s.key === this.state.serverKey) : all;
  }

  private title(): void {
    const one = this.state.serverKey ? this.deps.store.list().find((s) => s.key === this.state.serverKey) : undefined;
    this.panel.title = one ? `Veeam Overview — ${one.def.name}` : 'Veeam Overview';
  }

  private post(m: ToWebview): void {
    if (this.disposed) { return; }
    this.posted.fire(m);
    // A hidden webview gets nothing (it is rebuilt and asks again when shown).
    if (this.panel.visible) { void this.panel.webview.postMessage(m); }
  }

  private init(): void {
    this.statuses = this.servers().map((s) => this.statusOf(s));
    this.post({ type: 'init', state: this.state, title: this.panel.title, servers: this.statuses });
  }

  private statusOf(s: LoadedServer): ServerStatus {
    const l = this.loaded.get(s.key);
    const old = this.statuses.find((x) => x.key === s.key);
    return old ?? { key: s.key, name: s.def.name, kind: s.def.kind, state: l ? (l.input.error ? 'error' : 'done') : 'waiting', error: l?.input.error };
  }

  /** A message from the webview (tests call it directly, as the webview would). */
  async handle(m: ToExtension): Promise<void> {
    switch (m.type) {
      case 'ready': {
        // The webview's own state wins over ours only for what it shows (the scope is the extension's).
        this.state = { ...cleanState(m.state), serverKey: this.state.serverKey };
        this.init();
        this.postRunning();
        const fresh = this.servers().every((s) => this.isFresh(s.key));
        if (fresh && this.loaded.size) { this.postData(false); } else { await this.load(false); }
        if (this.pendingSection) { this.post({ type: 'focus', section: this.pendingSection }); this.pendingSection = undefined; }
        return;
      }
      case 'setState': {
        const before = this.state;
        this.state = { ...cleanState(m.state), serverKey: this.state.serverKey };
        if (m.reload && this.state.days > before.days) { await this.load(false); } else if (m.reload || this.state.zone !== before.zone || this.state.days !== before.days) { this.postData(false); }
        return;
      }
      case 'refresh': await this.load(true); return;
      case 'cancel': this.cancel(); return;
      case 'day': this.postDay(m.day, m.serverKey); return;
      case 'openLog': case 'reveal': {
        const target = this.refs.get(m.ref);
        if (!target) { return; }
        const arg = { serverKey: target.server.key, entity: target.entity };
        await vscode.commands.executeCommand(m.type === 'openLog' ? 'veeam.openSessionLogFor' : 'veeam.revealSession', arg);
        return;
      }
      case 'rendered': this.lastReport = m.report; this.rendered.fire(m.report); return;
    }
  }

  private isFresh(key: string): boolean {
    const l = this.loaded.get(key);
    return !!l && l.days >= this.state.days && Date.now() - l.at < FRESH_MS && !l.input.error;
  }

  /** Stop loading: servers still loading say "cancelled", the others render. */
  cancel(): void {
    this.abort?.abort();
  }

  /** Read every server in scope (those with fresh data are kept unless `force`); resolves when all have answered or were cancelled. */
  load(force: boolean): Promise<void> {
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    const servers = this.servers();
    this.statuses = servers.map((s) => ({ key: s.key, name: s.def.name, kind: s.def.kind, state: !force && this.isFresh(s.key) ? 'done' : 'loading',
      sessions: this.loaded.get(s.key)?.input.sessions?.length, truncated: this.loaded.get(s.key)?.truncated }));
    for (const key of [...this.loaded.keys()]) { if (!servers.some((s) => s.key === key)) { this.loaded.delete(key); } }
    this.postProgress();
    const days = this.state.days;
    const run = Promise.all(servers.map((s, i) => (this.statuses[i].state === 'done' ? undefined : this.loadOne(s, days, ac.signal).then((st) => {
      if (this.abort !== ac) { return; }
      this.statuses[i] = st;
      this.postProgress();
      this.scheduleData(true);
    })))).then(() => {
      if (this.abort !== ac) { return; }
      this.abort = undefined;
      this.postProgress();
      this.postData(false);
      this.watchRunning();
    });
    this.loading = run;
    return run;
  }

  /** Resolves when the load in flight (if any) has ended. */
  async idle(): Promise<void> { while (this.loading) { const l = this.loading; await l; if (this.loading === l) { this.loading = undefined; } } }

  private async loadOne(s: LoadedServer, days: number, signal: AbortSignal): Promise<ServerStatus> {
    const base = { key: s.key, name: s.def.name, kind: s.def.kind };
    const input: ServerInput = { key: s.key, name: s.def.name, kind: s.def.kind, timeZone: s.def.timeZone };
    const label = this.deps.kindOf(s.def.kind)?.shortLabel ?? s.def.kind;
    try {
      if (s.problem) { throw new Error(s.problem); }
      const client = this.deps.connections.client(s);
      if (!client.sessionsSince) { throw new Error(`${label} servers offer no session history yet.`); }
      const since = sinceFor(days, Date.now());
      this.reads++;
      const sessions = client.sessionsSince({ since, limit: SESSION_LIMIT }, signal);
      const repos = client.repositories ? (this.reads++, client.repositories(signal)) : Promise.resolve([] as Entity[]);
      const [ss, rs] = await Promise.allSettled([sessions, repos]);
      if (ss.status === 'rejected') { throw ss.reason; }
      input.sessions = ss.value;
      if (rs.status === 'fulfilled') {
        input.repositories = rs.value;
        await this.history.add(rs.value.filter((r) => r.capacity && r.capacity.totalBytes > 0)
          .map((r) => ({ id: `${s.key}|${r.key}`, used: Math.max(0, r.capacity!.totalBytes - r.capacity!.freeBytes) })));
      } else {
        if (isCancelled(rs.reason)) { throw rs.reason; }
        input.repositories = [];
        input.error = `Repositories: ${messageOf(rs.reason)}`;
      }
      const truncated = ss.value.length >= SESSION_LIMIT;
      this.loaded.set(s.key, { input, server: s, days, at: Date.now(), truncated });
      this.deps.log.info(`Overview: ${s.def.name}: ${ss.value.length} sessions since ${since.slice(0, 16)}Z, ${input.repositories.length} repositories.`);
      return { ...base, state: input.error ? 'error' : 'done', error: input.error, sessions: ss.value.length, truncated };
    } catch (e) {
      if (isCancelled(e) || signal.aborted) {
        this.deps.log.info(`Overview: loading ${s.def.name} was cancelled.`);
        return { ...base, state: 'cancelled' };
      }
      const error = messageOf(e);
      this.deps.log.warn(`Overview: ${s.def.name}: ${error}`);
      this.loaded.set(s.key, { input: { ...input, error }, server: s, days, at: Date.now(), truncated: false });
      return { ...base, state: 'error', error };
    }
  }

  private postProgress(): void {
    this.post({ type: 'progress', servers: this.statuses, loading: this.statuses.some((s) => s.state === 'loading') });
  }

  private scheduleData(partial: boolean): void {
    if (this.dataTimer) { return; }
    this.dataTimer = setTimeout(() => { this.dataTimer = undefined; this.postData(partial); }, 50);
  }

  private inputs(): ServerInput[] {
    return this.servers().map((s) => this.loaded.get(s.key)?.input).filter((x): x is ServerInput => !!x);
  }

  private ref(server: LoadedServer, entity: Entity): string {
    const r = `r${++this.refSeq}`;
    this.refs.set(r, { server, entity });
    return r;
  }

  private serverOf(key: string): LoadedServer | undefined { return this.loaded.get(key)?.server ?? this.deps.store.list().find((s) => s.key === key); }

  /** Aggregate what is loaded and send it. */
  postData(partial: boolean): void {
    if (this.dataTimer) { clearTimeout(this.dataTimer); this.dataTimer = undefined; }
    const warnPercent = this.deps.store.warnPercent();
    const userTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const o = { days: this.state.days, now: Date.now(), generatedAt: new Date().toISOString(), zone: this.state.zone, userTimeZone, warnPercent,
      history: (id: string) => this.history.get(id) };
    this.refs.clear();
    const data = overviewData(this.inputs(), o, (key, entity) => {
      const server = this.serverOf(key);
      return server && entity ? this.ref(server, entity) : '';
    });
    this.lastData = data;
    this.post({ type: 'data', data, partial });
  }

  private postDay(day: string, serverKey?: string): void {
    const userTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const list = sessionsOnDay(this.inputs(), day, { zone: this.state.zone, userTimeZone }, serverKey);
    const rows: SessionRow[] = list.slice(0, DAY_ROWS).map(({ server, entity }) => {
      const s = this.serverOf(server.key);
      return { ...sessionRow(server.name, entity), ref: s ? this.ref(s, entity) : '' };
    });
    this.post({ type: 'daySessions', day, serverKey, rows, total: list.length });
  }

  /** Running sessions the load found are followed by the work watcher (the same polling the tree's get). */
  private watchRunning(): void {
    const running = this.deps.watcher.running();
    for (const l of this.loaded.values()) {
      const kind = this.deps.kindOf(l.server.def.kind);
      for (const e of l.input.sessions ?? []) {
        if (e.status !== 'running' || !e.id || !kind?.types[e.type]?.watch) { continue; }
        if (running.some((w) => w.item.server.key === l.server.key && w.item.entity.key === e.key)) { continue; }
        this.deps.watcher.watch({ id: `overview:${l.server.key}/${e.key}`, server: l.server, entity: e });
      }
    }
  }

  /** A watched session changed (a poll, or it ended): the loaded copy follows, and the charts with it. */
  private updated(item: Item, entity: Entity): void {
    const l = this.loaded.get(item.server.key);
    const list = l?.input.sessions;
    if (!list) { return; }
    const i = list.findIndex((e) => e.key === entity.key);
    if (i < 0) { return; }
    const before = list[i].status;
    list[i] = { ...list[i], ...entity, jobName: entity.jobName ?? list[i].jobName };
    if (before !== entity.status) { this.scheduleData(false); }
  }

  private postRunning(): void {
    const keys = new Set(this.servers().map((s) => s.key));
    const rows: RunningRow[] = this.deps.watcher.running().filter((w) => keys.has(w.item.server.key)).map((w) => this.runningRow(w));
    this.post({ type: 'running', rows });
  }

  private runningRow(w: Watched): RunningRow {
    const e = w.item.entity;
    const above = w.owner ?? w.parent;
    const label = above && above.entity.type !== 'folder' ? above.entity.name : e.jobName ?? e.name;
    const info = this.deps.kindOf(w.item.server.def.kind)?.types[e.type];
    const percent = e.progress?.percent;
    const progress = percent !== undefined ? `${Math.round(percent)}%`
      : e.progress?.objects !== undefined ? `${e.progress.objects.toLocaleString('en-US')} objects` : 'running';
    return { ref: this.ref(w.item.server, e), serverName: w.item.server.def.name, label, noun: info?.noun[0] ?? e.type, percent, progress, note: w.note };
  }

  dispose(): void {
    if (this.disposed) { return; }
    this.disposed = true;
    this.abort?.abort();
    if (this.dataTimer) { clearTimeout(this.dataTimer); }
    for (const d of this.subscriptions) { d.dispose(); }
    this.posted.dispose(); this.rendered.dispose();
    if (current === this) { current = undefined; }
    this.panel.dispose();
  }
}

/** Errors come from the extension's bundle (VeeamError): read them by shape, not by class. */
function isCancelled(e: unknown): boolean {
  return !!e && typeof e === 'object' && ((e as { kind?: unknown }).kind === 'cancelled' || (e as { name?: unknown }).name === 'AbortError' || (e as { name?: unknown }).name === 'CanceledError');
}

function messageOf(e: unknown): string {
  return e instanceof Error || (e && typeof e === 'object' && 'message' in e) ? String((e as { message: unknown }).message) : String(e);
}
