// The failure watch (`veeam.watch.failures`): every interval, one small "sessions since T" request per
// watched server finds the job sessions that ended since the last look; each new Failed (or Warning)
// session is announced once (the notifications are the UI's, src/ui/failureNotifications.ts). 'off'
// means no timer and no request. What was seen is kept per server in global state (times and session
// keys, never a secret), so a reload announces nothing twice; sessions that ended before the watch
// started are never announced.
import * as vscode from 'vscode';
import type { Entity } from '../api/model';
import { toVeeamError } from '../api/errors';
import type { Connections } from './connections';
import type { LoadedServer, ServerStore, WatchMode } from './settings';
import type { Logger } from './types';

export interface FoundSession { server: LoadedServer; entity: Entity }

interface Cursor {
  /** The last look (ISO, this machine's clock). */
  at: string;
  /** Keys of sessions already announced or seen ended at the first look (newest last, capped). */
  seen: string[];
  /** Sessions running at the last look: their start bounds the next window (a long run ending later is found). */
  running: { key: string; startedAt: string }[];
}

const STATE_KEY = 'veeam.watch.cursors';
/** The first look (and a resumed one) reads this far back: running sessions older than this are not followed. */
const BASELINE_MS = 24 * 3_600_000;
/** Overlap of each window with the previous one (clock skew between this machine and the server). */
const SLACK_MS = 10 * 60_000;
/** A cursor older than this (VS Code was closed) is dropped: the watch starts again rather than replaying days. */
const RESUME_MAX_MS = 24 * 3_600_000;
const LIMIT = 200;
const SEEN_MAX = 500;

export class FailureWatch {
  private timer?: NodeJS.Timeout;
  private checking?: Promise<FoundSession[]>;
  private mode: WatchMode = 'off';
  private readonly found = new vscode.EventEmitter<FoundSession[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly abort = new AbortController();
  /** New Failed/Warning sessions of one look (possibly from several servers). */
  readonly onDidFind = this.found.event;
  /** Requests made (tests: 'off' makes none). */
  requests = 0;
  checks = 0;
  /** The servers the last check asked (tests: an opted-out server is not among them). */
  lastAsked: string[] = [];
  /** Tests only: replaces veeam.watch.intervalMinutes. */
  intervalOverrideMs?: number;

  constructor(
    private readonly store: ServerStore,
    private readonly connections: Connections,
    private readonly state: vscode.Memento,
    private readonly log: Logger,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('veeam.watch')) { this.configure(); } }),
      store.onDidChange(() => { void this.prune(); }),
    );
    this.configure(true);
  }

  get active(): boolean { return this.mode !== 'off'; }
  /** A check is scheduled (tests: 'off' schedules none). */
  get scheduled(): boolean { return !!this.timer; }

  private intervalMs(): number { return this.intervalOverrideMs ?? this.store.watchSettings().intervalMs; }

  /** Read the settings: start, stop or reschedule. Turning the watch off forgets every cursor. */
  configure(atStart = false): void {
    const { mode } = this.store.watchSettings();
    const before = this.mode;
    this.mode = mode;
    if (mode === 'off') {
      this.stopTimer();
      if (before !== 'off') {
        this.log.info('Failure watch: off — no requests are made.');
        void this.state.update(STATE_KEY, undefined);
      }
      return;
    }
    if (before !== mode || atStart) {
      const servers = this.store.list();
      const out = servers.filter((s) => s.def.watch === false).length;
      this.log.info(`Failure watch: on (${mode === 'failed' ? 'failed sessions' : 'failed and warning sessions'}), every ${Math.round(this.intervalMs() / 1000)} s, `
        + `${servers.length - out} server(s)${out ? `, ${out} opted out ("watch": false)` : ''}.`);
    }
    // At activation the first look waits a little (activation makes no request); a switch-on looks at once.
    this.schedule(atStart ? Math.min(this.intervalMs(), 10_000) : before !== mode ? 0 : undefined);
  }

  private stopTimer(): void { if (this.timer) { clearTimeout(this.timer); this.timer = undefined; } }

  private schedule(delay = this.intervalMs()): void {
    this.stopTimer();
    if (this.mode === 'off' || this.abort.signal.aborted) { return; }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.checkNow().finally(() => { if (!this.timer) { this.schedule(); } });
    }, delay);
  }

  /** One look at every watched server now (also what the timer runs); resolves with what was new. */
  checkNow(): Promise<FoundSession[]> {
    this.checking ??= this.check().finally(() => { this.checking = undefined; });
    return this.checking;
  }

  /** Forget what is held in memory and start from global state again, as after a reload (tests). */
  restart(): void {
    this.stopTimer();
    this.mode = 'off';
    this.configure(true);
  }

  private cursors(): Record<string, Cursor> { return { ...(this.state.get<Record<string, Cursor>>(STATE_KEY) ?? {}) }; }

  private async check(): Promise<FoundSession[]> {
    if (this.mode === 'off') { return []; }
    this.checks++;
    const mode = this.mode;
    const servers = this.store.list().filter((s) => !s.problem && s.def.watch !== false);
    this.lastAsked = servers.map((s) => s.def.name);
    const results = await Promise.all(servers.map((s) => this.look(s, mode)));
    const cursors = this.cursors();
    const found: FoundSession[] = [];
    results.forEach((r, i) => {
      if (!r) { return; }
      cursors[servers[i].key] = r.cursor;
      found.push(...r.found.map((entity) => ({ server: servers[i], entity })));
    });
    await this.state.update(STATE_KEY, cursors);
    if (found.length) { this.found.fire(found); }
    return found;
  }

  private async look(s: LoadedServer, mode: WatchMode): Promise<{ cursor: Cursor; found: Entity[] } | undefined> {
    const name = s.def.name;
    let client;
    try { client = this.connections.client(s); } catch (e) { this.log.warn(`Failure watch: ${name}: ${toVeeamError(e).message}`); return undefined; }
    if (!client.sessionsSince) { this.log.debug(`Failure watch: ${name} cannot list sessions by time; not watched.`); return undefined; }
    const now = Date.now();
    const old = this.cursors()[s.key];
    const resumable = old && now - Date.parse(old.at) < RESUME_MAX_MS;
    const from = resumable
      ? Math.min(Date.parse(old.at), ...old.running.map((r) => Date.parse(r.startedAt)).filter(Number.isFinite)) - SLACK_MS
      : now - BASELINE_MS;
    const since = new Date(Math.max(from, now - BASELINE_MS - SLACK_MS)).toISOString();
    let sessions: Entity[];
    this.requests++;
    try {
      sessions = await client.sessionsSince({ since, limit: LIMIT }, this.abort.signal);
    } catch (e) {
      const err = toVeeamError(e);
      if (err.kind !== 'cancelled') { this.log.warn(`Failure watch: ${name}: ${err.message} (tried again in ${Math.round(this.intervalMs() / 1000)} s)`); }
      return undefined;
    }
    const wanted = (e: Entity) => e.status === 'failed' || (mode === 'failedAndWarning' && e.status === 'warning');
    const ended = sessions.filter((e) => e.status !== 'running' && e.status !== 'queued');
    const running = sessions.filter((e) => e.status === 'running' || e.status === 'queued')
      .map((e) => ({ key: e.key, startedAt: e.startedAt ?? new Date(now).toISOString() }));
    if (!resumable) {
      // The watch starts here: whatever already ended is history, not news.
      const seen = ended.filter(wanted).map((e) => e.key).slice(-SEEN_MAX);
      this.log.info(`Failure watch: ${name}: watching from now (${sessions.length} session(s) in the last 24 h, ${running.length} running; earlier results are not announced).`);
      return { cursor: { at: new Date(now).toISOString(), seen, running }, found: [] };
    }
    const seen = new Set(old.seen);
    const lastLook = Date.parse(old.at);
    const fresh = ended.filter((e) => wanted(e) && !seen.has(e.key) && endTime(e, now) >= lastLook - SLACK_MS)
      .sort((a, b) => endTime(a, now) - endTime(b, now));
    for (const e of fresh) { seen.add(e.key); }
    const msg = `Failure watch: ${name}: ${sessions.length} session(s) since ${since.slice(11, 16)} UTC, ${running.length} running, ${fresh.length} new ${mode === 'failed' ? 'failed' : 'failed or warning'}`
      + `${sessions.length >= LIMIT ? ` (only the newest ${LIMIT} were read)` : ''}.`;
    if (fresh.length) { this.log.info(msg); } else { this.log.debug(msg); }
    return { cursor: { at: new Date(now).toISOString(), seen: [...seen].slice(-SEEN_MAX), running }, found: fresh };
  }

  /** Cursors of servers no longer configured are dropped. */
  private async prune(): Promise<void> {
    const keys = new Set(this.store.list().map((s) => s.key));
    const c = this.cursors();
    const gone = Object.keys(c).filter((k) => !keys.has(k));
    if (!gone.length) { return; }
    for (const k of gone) { delete c[k]; }
    await this.state.update(STATE_KEY, c);
  }

  dispose(): void {
    this.abort.abort();
    this.stopTimer();
    this.found.dispose();
    for (const d of this.subscriptions) { d.dispose(); }
  }
}

function endTime(e: Entity, now: number): number {
  const t = Date.parse(e.endedAt ?? e.startedAt ?? '');
  return Number.isFinite(t) ? t : now;
}
