// The chat tools themselves, loaded on their first invocation (src/tools/index.ts registers thin
// wrappers at activation). They use the tree's clients and connections (one logon per server), answer
// with compact text a model can quote (ids the next call can use), turn every failure into text the
// model can relay, and never put a secret into a result. Actions go through the commands' code paths:
// the kind's target paths find the tree node, beginOnce/requestStop send one POST and the work shows
// in the tree and the status bar exactly as when started from the tree.
import * as vscode from 'vscode';
import { Entity, SessionLog, detailsOf, typeInfo } from '../api/model';
import { VeeamError, toVeeamError } from '../api/errors';
import { kindOf } from '../api/kinds';
import { bytes, hostOf, progressText } from '../api/format';
import type { LoadedServer } from '../services/settings';
import { EntityNode, ServerNode } from '../tree/nodes';
import { workLabel } from '../ui/statusBar';
import type { Ctx } from '../commands/context';
import { abortOn } from '../commands/cancel';
import { scopeOf, targetsOf } from '../commands/pick';
import { where } from '../commands/where';
import { beginOnce } from '../commands/watchProgress';
import { startJobOptions } from '../commands/startJob';
import { syncOptions } from '../commands/syncRepository';
import { requestStop } from '../commands/stopJob';
import type { ToolName } from './index';
import {
  InputError, cell, errorText, fitBudget, intIn, iso, matchEntity, matchServers, parseResults, parseWhen,
  resultOf, serverList, table, utcOffset,
} from './text';

type Input = Record<string, unknown>;
type Tool = vscode.LanguageModelTool<Input>;

const HOUR = 3_600_000;
/** Sessions read per server and query at most (the model sees `limit` of them). */
const READ_LIMIT = 10_000;
/** How far back veeam_sessionLog looks for a session id it has not seen yet. */
const LOOKUP_DAYS = 30;
const CACHE_MAX = 5000;
/** A confirmation is good for this long (the user may take a while to answer). */
const CONFIRM_TTL_MS = 30 * 60_000;

export function createTools(ctx: Ctx): Record<ToolName, Tool> {
  return new Tools(ctx).all();
}

interface Seen { server: LoadedServer; entity: Entity }
interface Confirmed { nodeId?: string; at: number }

class Tools {
  /** Sessions the model has seen (by server and id), so a later call can name them by id. */
  private readonly seen = new Map<string, Seen>();
  /** Action inputs the user was asked to confirm, with the node the confirmation named. */
  private readonly confirmed = new Map<string, Confirmed>();

  constructor(private readonly ctx: Ctx) {}

  all(): Record<ToolName, Tool> {
    return {
      veeam_listServers: this.read((i, s) => this.listServers(i, s)),
      veeam_findSessions: this.read((i, s) => this.findSessions(i, s)),
      veeam_runningWork: this.read((i) => this.runningWork(i)),
      veeam_sessionLog: this.read((i, s) => this.sessionLog(i, s)),
      veeam_repositories: this.read((i, s) => this.repositories(i, s)),
      veeam_startJob: this.action('veeam_startJob', ACTIONS.startJob),
      veeam_stopJob: this.action('veeam_stopJob', ACTIONS.stopJob),
      veeam_syncRepository: this.action('veeam_syncRepository', ACTIONS.sync),
    };
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** A read tool: no confirmation; failures become text. */
  private read(fn: (input: Input, signal: AbortSignal) => Promise<string>): Tool {
    return { invoke: (o, token) => this.answer(() => fn(o.input ?? {}, abortOn(token)), token, o.tokenizationOptions?.tokenBudget) };
  }

  private async answer(fn: () => Promise<string>, token: vscode.CancellationToken, budget?: number): Promise<vscode.LanguageModelToolResult> {
    let text: string;
    try {
      text = await fn();
    } catch (e) {
      if (token.isCancellationRequested) { throw new vscode.CancellationError(); }
      if (e instanceof InputError) { text = `Error: ${e.message}`; } else {
        const err = toVeeamError(e);
        if (err.kind === 'cancelled') { throw new vscode.CancellationError(); }
        this.ctx.log.warn(`Chat tool: ${err.message}`);
        text = `Error: ${err.message}`;
      }
    }
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(fitBudget(text, budget))]);
  }

  private servers(q: unknown): LoadedServer[] {
    const all = this.ctx.store.list();
    if (!all.length) { throw new InputError(serverList(all)); }
    return matchServers(all, typeof q === 'string' ? q : undefined);
  }

  /** One server for an action or a session: the named one, or the only one configured. */
  private oneServer(q: unknown): LoadedServer {
    const all = this.ctx.store.list();
    if (!all.length) { throw new InputError(serverList(all)); }
    if ((q === undefined || q === '') && all.length === 1) { return all[0]; }
    if (typeof q !== 'string' || !q.trim()) { throw new InputError(`Say which server ("server"). ${serverList(all)}`); }
    const m = matchServers(all, q);
    if (m.length !== 1) { throw new InputError(`"${q}" does not name one server. ${serverList(all)}`); }
    return m[0];
  }

  /** Per server: the result, or the error as text (a server that cannot be asked never hides the others' answers). */
  private async each<T>(servers: LoadedServer[], fn: (s: LoadedServer) => Promise<T>): Promise<{ server: LoadedServer; value?: T; error?: string }[]> {
    const settled = await Promise.allSettled(servers.map(async (s) => {
      if (s.problem) { throw new VeeamError('config', `the server definition is not usable: ${s.problem} Ask the user to run "Veeam: Edit Server…".`); }
      return fn(s);
    }));
    return settled.map((r, i) => {
      if (r.status === 'fulfilled') { return { server: servers[i], value: r.value }; }
      const err = toVeeamError(r.reason);
      if (err.kind === 'cancelled') { throw err; }
      return { server: servers[i], error: errorText(servers[i].def.name, err) };
    });
  }

  private remember(server: LoadedServer, e: Entity): void {
    if (!e.id) { return; }
    const k = `${server.key}\n${e.id.toLowerCase()}`;
    this.seen.delete(k);
    this.seen.set(k, { server, entity: e });
    if (this.seen.size > CACHE_MAX) { this.seen.delete(this.seen.keys().next().value!); }
  }

  private kindLabel(s: LoadedServer): string { return kindOf(s.def.kind)?.shortLabel ?? s.def.kind; }

  // ---- veeam_listServers --------------------------------------------------------------------

  private async listServers(input: Input, signal: AbortSignal): Promise<string> {
    const servers = this.servers(input.server);
    const running = this.ctx.watcher.running();
    const results = await this.each(servers, (s) => this.ctx.connections.client(s).connect(signal));
    const rows = results.map(({ server: s, error }) => {
      const work = running.filter((w) => w.item.server.key === s.key);
      const runText = work.length ? work.map((w) => `${workLabel(w)} ${progressText(w.item.entity) || 'running'}`.trim()).join('; ') : 'nothing watched';
      return [s.def.name, this.kindLabel(s), hostOf(s.def.url), error ? `ERROR ${error}` : 'reachable, logged on', runText];
    });
    return [
      `${servers.length} Veeam server${servers.length === 1 ? '' : 's'} (now ${iso(Date.now())}, local ${utcOffset(Date.now())}):`,
      table(['server', 'kind', 'host', 'state', 'running (watched by the Veeam view)'], rows),
    ].join('\n');
  }

  // ---- veeam_findSessions -------------------------------------------------------------------

  private async findSessions(input: Input, signal: AbortSignal): Promise<string> {
    const now = Date.now();
    const since = parseWhen(input.since as string | undefined, now, 'since') ?? now - 24 * HOUR;
    const until = parseWhen(input.until as string | undefined, now, 'until') ?? now;
    if (since >= until) { throw new InputError(`"since" (${iso(since)}) must be before "until" (${iso(until)}).`); }
    const results = parseResults(input.result);
    const job = typeof input.job === 'string' && input.job.trim() ? input.job.trim().toLowerCase() : undefined;
    const limit = intIn(input.limit, 50, 1, 500, 'limit');
    const servers = this.servers(input.server);
    const per = await this.each(servers, async (s) => {
      const client = this.ctx.connections.client(s);
      if (!client.sessionsSince) { throw new VeeamError('config', `${this.kindLabel(s)} servers cannot list sessions by time in this version of the extension.`); }
      return client.sessionsSince({ since: new Date(since).toISOString(), until: new Date(until).toISOString(), limit: READ_LIMIT }, signal);
    });
    const rows: { server: LoadedServer; e: Entity; t: number }[] = [];
    for (const r of per) {
      for (const e of r.value ?? []) {
        const t = Date.parse(e.startedAt ?? '');
        if (Number.isFinite(t) && (t < since || t > until)) { continue; }
        if (results && !results.has(resultOf(e.status))) { continue; }
        if (job && !(e.jobName ?? '').toLowerCase().includes(job) && !e.name.toLowerCase().includes(job)) { continue; }
        rows.push({ server: r.server, e, t: Number.isFinite(t) ? t : 0 });
      }
    }
    rows.sort((a, b) => b.t - a.t);
    const shown = rows.slice(0, limit);
    for (const r of shown) { this.remember(r.server, r.e); }
    const asked = per.filter((r) => !r.error).length;
    const what = [
      `from ${iso(since)} to ${iso(until)}${input.until ? '' : ' (now)'}`,
      results ? `result ${[...results].join(' or ')}` : undefined,
      job ? `job containing "${input.job}"` : undefined,
      servers.length === 1 ? `server ${servers[0].def.name}` : `${servers.length} servers`,
    ].filter(Boolean).join(', ');
    const out = [`Job sessions ${what}; local time ${utcOffset(now)}. ${rows.length} found${rows.length ? ', newest first' : ''}${asked < servers.length ? ` (only ${asked} of ${servers.length} servers answered)` : ''}.`];
    if (shown.length) {
      out.push(table(['server', 'job', 'start', 'end', 'result', 'message', 'id'], shown.map(({ server, e }) =>
        [server.def.name, e.jobName ?? e.name, iso(e.startedAt), iso(e.endedAt), resultOf(e.status), cell(e.message, 240), e.id ?? ''])));
    }
    if (rows.length > shown.length) { out.push(`… ${rows.length - shown.length} more not shown (limit ${limit}; raise it up to 500 or narrow the filter).`); }
    for (const r of per) { if (r.error) { out.push(`Not included: ${r.error}`); } }
    if (shown.length) { out.push('Use veeam_sessionLog with the server and id for why a session failed.'); }
    return out.join('\n');
  }

  // ---- veeam_runningWork --------------------------------------------------------------------

  private async runningWork(input: Input): Promise<string> {
    const servers = new Set(this.servers(input.server).map((s) => s.key));
    const all = this.ctx.watcher.running().filter((w) => servers.has(w.item.server.key));
    const out = [`${all.length} running item${all.length === 1 ? '' : 's'} watched by the Veeam view (now ${iso(Date.now())}).`];
    if (all.length) {
      out.push(table(['server', 'work', 'type', 'progress', 'started', 'id'], all.map((w) => {
        this.remember(w.item.server, w.item.entity);
        const noun = typeInfo(kindOf(w.item.server.def.kind), w.item.entity.type).noun[0];
        const progress = [progressText(w.item.entity) || w.item.entity.description || 'running', w.note].filter(Boolean).join('; ');
        return [w.item.server.def.name, workLabel(w), noun, progress, iso(w.item.entity.startedAt), w.item.entity.id ?? ''];
      })));
    }
    out.push('Only work the Veeam view follows is listed (started from VS Code, or running when its node was listed). Ask the servers with veeam_findSessions result "running".');
    return out.join('\n');
  }

  // ---- veeam_sessionLog ---------------------------------------------------------------------

  private async findSession(server: LoadedServer, id: string, signal: AbortSignal): Promise<Entity> {
    const k = `${server.key}\n${id.toLowerCase()}`;
    const hit = this.seen.get(k);
    if (hit) { return hit.entity; }
    const watched = this.ctx.watcher.running().find((w) => w.item.server.key === server.key && w.item.entity.id?.toLowerCase() === id.toLowerCase());
    if (watched) { return watched.item.entity; }
    const client = this.ctx.connections.client(server);
    if (client.sessionsSince) {
      const since = new Date(Date.now() - LOOKUP_DAYS * 24 * HOUR).toISOString();
      const found = (await client.sessionsSince({ since, limit: READ_LIMIT }, signal)).find((e) => e.id?.toLowerCase() === id.toLowerCase());
      if (found) { this.remember(server, found); return found; }
    }
    throw new InputError(`No session with id "${id}" on ${server.def.name} in the last ${LOOKUP_DAYS} days. Find it with veeam_findSessions first (its "since" can reach further back).`);
  }

  private async sessionLog(input: Input, signal: AbortSignal): Promise<string> {
    const server = this.oneServer(input.server);
    const id = typeof input.sessionId === 'string' ? input.sessionId.trim() : '';
    if (!id) { throw new InputError('"sessionId" is required: an id from veeam_findSessions or veeam_runningWork.'); }
    const n = intIn(input.lines, 20, 1, 200, 'lines');
    if (server.problem) { throw new InputError(`${server.def.name}: ${server.problem}`); }
    let e: Entity;
    try { e = await this.findSession(server, id, signal); } catch (err) {
      if (err instanceof InputError) { throw err; }
      return errorText(server.def.name, toVeeamError(err));
    }
    const client = this.ctx.connections.client(server);
    const noun = typeInfo(kindOf(server.def.kind), e.type).noun[0];
    const title = e.jobName && !e.name.toLowerCase().startsWith(e.jobName.toLowerCase()) ? `${e.jobName} — ${e.name}` : e.name;
    const head = `Session "${title}" (${noun}) on ${server.def.name}: ${resultOf(e.status)}, ${iso(e.startedAt) || '?'} → ${iso(e.endedAt) || (e.status === 'running' ? 'still running' : '?')}, id ${e.id}.`;
    if (!client.sessionLog) {
      const rows = detailsOf(e).map((d) => `${d.label}: ${cell(d.value, 300)}`);
      return [head, `Reason: ${e.message ? cell(e.message, 1000) : 'the server gives no message for this session.'}`,
        `${this.kindLabel(server)} session logs cannot be read in this version of the extension; what the session itself reports:`, ...rows].join('\n');
    }
    let log: SessionLog;
    try { log = await client.sessionLog(e, signal); } catch (err) {
      const v = toVeeamError(err);
      if (v.kind === 'cancelled') { throw v; }
      return [head, `Reason: ${e.message ? cell(e.message, 1000) : 'the server gives no message for this session.'}`, `The log could not be read: ${errorText(server.def.name, v)}`].join('\n');
    }
    const lines = [...log.lines].sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
    const tail = lines.slice(-n);
    // Records that say what went wrong and are not in the tail: failed ones, else warnings; the first and last five of many.
    const failedEarlier = lines.filter((l) => l.status === 'failed' && !tail.includes(l));
    const earlier = failedEarlier.length ? failedEarlier : lines.filter((l) => l.status === 'warning' && !tail.includes(l));
    const bad = earlier.length > 10 ? [...earlier.slice(0, 5), ...earlier.slice(-5)] : earlier;
    const firstFailed = lines.find((l) => l.status === 'failed');
    const reason = e.message ?? (firstFailed ? [firstFailed.title, firstFailed.detail].filter(Boolean).join(' — ') : undefined);
    const row = (l: typeof lines[number]) => [iso(l.time), l.status, l.title, cell(l.detail, 300)];
    const out = [head, `Reason: ${reason ? cell(reason, 1000) : e.status === 'failed' || e.status === 'warning' ? 'the server gives no message; see the log records.' : 'none (the session did not fail).'}`];
    if (log.note) { out.push(`Note: ${log.note}`); }
    const failed = lines.filter((l) => l.status === 'failed').length;
    const warned = lines.filter((l) => l.status === 'warning').length;
    if (bad.length) {
      const what = failedEarlier.length ? 'failed' : 'warning';
      out.push(`Earlier ${what} records (${bad.length < earlier.length ? `first and last 5 of ${earlier.length}` : earlier.length}):`, table(['time', 'status', 'title', 'detail'], bad.map(row)));
    }
    out.push(`Last ${tail.length} of ${lines.length} log records (${failed} failed, ${warned} warning${log.running ? '; the session still runs' : ''}), oldest first:`);
    if (tail.length) { out.push(table(['time', 'status', 'title', 'detail'], tail.map(row))); }
    return out.join('\n');
  }

  // ---- veeam_repositories -------------------------------------------------------------------

  private async repositories(input: Input, signal: AbortSignal): Promise<string> {
    const servers = this.servers(input.server);
    const per = await this.each(servers, async (s) => {
      const client = this.ctx.connections.client(s);
      if (!client.repositories) { throw new VeeamError('config', `${this.kindLabel(s)} repositories cannot be listed with their capacity in this version of the extension.`); }
      return client.repositories(signal);
    });
    const rows: unknown[][] = [];
    for (const r of per) {
      const repos = (r.value ?? []).map((e) => {
        const c = e.capacity;
        const used = c && c.totalBytes > 0 ? Math.round(((c.totalBytes - c.freeBytes) / c.totalBytes) * 1000) / 10 : undefined;
        return { e, used };
      }).sort((a, b) => (b.used ?? -1) - (a.used ?? -1));
      for (const { e, used } of repos) {
        rows.push([r.server.def.name, e.name, bytes(e.capacity?.totalBytes), bytes(e.capacity?.freeBytes), used === undefined ? '–' : `${used}%`, e.id ?? '']);
      }
    }
    const out = [`${rows.length} repositor${rows.length === 1 ? 'y' : 'ies'} on ${servers.length === 1 ? servers[0].def.name : `${servers.length} servers`}, fullest first per server (used = share of capacity in use):`];
    if (rows.length) { out.push(table(['server', 'repository', 'capacity', 'free', 'used', 'id'], rows)); }
    for (const r of per) { if (r.error) { out.push(`Not included: ${r.error}`); } }
    return out.join('\n');
  }

  // ---- actions ------------------------------------------------------------------------------

  private action(name: ToolName, a: ActionSpec): Tool {
    return {
      prepareInvocation: (o) => this.prepare(name, a, o.input ?? {}),
      invoke: (o, token) => this.answer(() => this.act(name, a, o.input ?? {}), token),
    };
  }

  private inputKey(name: ToolName, input: Input): string { return `${name}\n${JSON.stringify(input)}`; }

  /** The confirmation, naming the target and its server. Side-effect free and without network: the target is looked up in the tree's listings. */
  private prepare(name: ToolName, a: ActionSpec, input: Input): vscode.PreparedToolInvocation {
    const q = typeof input[a.field] === 'string' ? (input[a.field] as string).trim() : '';
    let server: LoadedServer;
    try { server = this.oneServer(input.server); } catch (e) {
      return { invocationMessage: `Veeam: ${(e as Error).message}` };   // nothing will be sent: invoke answers with the same error
    }
    if (!q) { return { invocationMessage: `Veeam: no ${a.noun} named` }; }
    if (!kindOf(server.def.kind)?.targets[a.action]) {
      return { invocationMessage: `Veeam: ${server.def.name} cannot ${a.verb} ${a.nouns}` };   // invoke answers why; nothing is sent
    }
    const node = this.cachedTarget(server, a, q);
    const place = node ? where(node) : `on ${server.def.name}`;
    const label = node?.entity.name ?? q;
    this.confirmed.set(this.inputKey(name, input), { nodeId: node?.id, at: Date.now() });
    for (const [k, c] of this.confirmed) { if (Date.now() - c.at > CONFIRM_TTL_MS) { this.confirmed.delete(k); } }
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${a.verbTitle} the ${a.noun} **${esc(label)}** ${esc(place)} (${esc(hostOf(server.def.url))})?\n\n`);
    md.appendMarkdown(esc(`${a.effect} Veeam Explorer sends one request (never repeated)${a.followed ? ' and follows the work in the Veeam view and the status bar' : ''}.`));
    if (!node) { md.appendMarkdown(`\n\n${esc(`The ${a.noun} is looked up by this name or id when you continue; if it is not unique there, nothing is sent.`)}`); }
    return {
      invocationMessage: `${a.progress} ${label} ${place}`,
      confirmationMessages: { title: `${a.verbTitle} Veeam ${a.noun} "${label}" on ${server.def.name}?`, message: md },
    };
  }

  /** The target as the tree has it listed now (no loading), when it is there exactly once. */
  private cachedTarget(server: LoadedServer, a: ActionSpec, q: string): EntityNode | undefined {
    const root = this.ctx.tree.serverNode(server.key);
    const path = kindOf(server.def.kind)?.targets[a.action];
    if (!root || !path) { return undefined; }
    const kids = (n: ServerNode | EntityNode) => (this.ctx.tree.cached(n) ?? []).filter((c): c is EntityNode => c instanceof EntityNode);
    let level: (ServerNode | EntityNode)[] = [root];
    for (const step of path.via) {
      level = level.flatMap(kids).filter((c) => (step.role === undefined || c.entity.role === step.role) && (step.type === undefined || c.entity.type === step.type));
    }
    const items = level.flatMap(kids).filter((c) => path.types.includes(c.entity.type));
    return matchEntity(items, q).found;
  }

  private async act(name: ToolName, a: ActionSpec, input: Input): Promise<string> {
    const key = this.inputKey(name, input);
    const confirmed = this.confirmed.get(key);
    this.confirmed.delete(key);
    const server = this.oneServer(input.server);
    const q = typeof input[a.field] === 'string' ? (input[a.field] as string).trim() : '';
    if (!q) { throw new InputError(`"${a.field}" is required: the ${a.noun}'s name or id.`); }
    if (!kindOf(server.def.kind)?.targets[a.action]) {
      throw new InputError(`${server.def.name} (${this.kindLabel(server)}) cannot ${a.verb} ${a.nouns}; nothing was sent.`);
    }
    if (!confirmed || Date.now() - confirmed.at > CONFIRM_TTL_MS) {
      throw new InputError(`This action was not confirmed by the user; nothing was sent. Invoke ${name} again so VS Code asks for confirmation.`);
    }
    if (server.problem) { throw new InputError(`${server.def.name}: ${server.problem} Ask the user to run "Veeam: Edit Server…".`); }
    // Log on first with the shared client, so a missing or wrong password is an answer, not a prompt.
    try { await this.ctx.connections.client(server).connect(); } catch (e) { return `${errorText(server.def.name, toVeeamError(e))} Nothing was sent.`; }
    const root = this.ctx.tree.serverNode(server.key);
    if (!root) { throw new InputError(`${server.def.name} is not in the Veeam view.`); }
    const node = await this.findTarget(root, a, q);
    if (typeof node === 'string') { return node; }
    if (confirmed.nodeId && confirmed.nodeId !== node.id) {
      return `The ${a.noun} found now ("${node.entity.name}" ${where(node)}) is not the one the user confirmed; nothing was sent. Invoke ${name} again with its id.`;
    }
    return a.run(this, node);
  }

  /** The tree node of the target, or why there is none (text). Watched running sessions can be named by id for a stop. */
  private async findTarget(root: ServerNode, a: ActionSpec, q: string): Promise<EntityNode | string> {
    const name = root.server.def.name;
    if (a.action === 'stopJob') {
      const w = this.ctx.watcher.running().find((x) => x.item.server.key === root.server.key && x.item.entity.id?.toLowerCase() === q.toLowerCase());
      const n = w && this.ctx.tree.nodeById(w.item.id);
      if (n instanceof EntityNode && n.entity.actions.includes('stopJob')) { return n; }
    }
    let items: EntityNode[];
    try { items = await targetsOf(this.ctx, root, a.action, a.verb); } catch (e) {
      const err = toVeeamError(e);
      return `${err.kind === 'config' ? err.message : errorText(name, err)} Nothing was sent.`;
    }
    const m = matchEntity(items, q);
    if (m.ambiguous) {
      return `Several ${a.nouns} on ${name} are named "${q}"; nothing was sent. Use the id of the one meant:\n${table([a.noun, 'where', 'id'], m.ambiguous.map((n) => [n.entity.name, scopeOf(n) ?? name, n.entity.id ?? '']))}`;
    }
    if (!m.found) {
      const names = items.slice(0, 30).map((n) => `"${n.entity.name}"`).join(', ');
      return `No ${a.noun} named "${q}" (or with that id) on ${name}; nothing was sent. ${items.length ? `${a.nouns[0].toUpperCase()}${a.nouns.slice(1)} there: ${names}${items.length > 30 ? ` and ${items.length - 30} more` : ''}.` : ''}`.trim();
    }
    const node = m.found;
    const work = this.ctx.watcher.runningFor(node.id);
    if (work && a.action !== 'stopJob') {
      this.remember(node.server, work.entity);
      return `"${node.entity.name}" ${where(node)} is already ${a.action === 'sync' ? 'synchronizing' : 'running'} (${progressText(work.entity) || work.entity.description || 'running'}, session id ${work.entity.id ?? '(none)'}); nothing was sent.`;
    }
    if (!node.entity.actions.includes(a.action)) {
      return `"${node.entity.name}" ${where(node)} cannot ${a.verb} now${node.entity.description ? ` (${node.entity.description})` : ''}; nothing was sent.`;
    }
    return node;
  }

  async started(node: EntityNode, how: 'start' | 'sync'): Promise<string> {
    const opts = how === 'start' ? startJobOptions(this.ctx, node) : syncOptions(this.ctx, node);
    let b;
    try { b = await beginOnce(this.ctx, node, opts); } catch (e) { return postFailed(node, toVeeamError(e), how === 'start' ? 'start' : 'sync'); }
    if (b.state === 'busy') {
      if (b.work) { this.remember(node.server, b.work); }
      return `"${node.entity.name}" ${where(node)} is already ${how === 'start' ? 'running' : 'synchronizing'}${b.work ? ` (${progressText(b.work) || b.work.description || 'running'}, session id ${b.work.id})` : ''}; nothing was sent.`;
    }
    if (b.state === 'declined') { return 'The user declined; nothing was sent.'; }
    const s = b.session.entity;
    this.remember(node.server, s);
    return `${how === 'start' ? 'Started the job' : 'Started the sync of'} "${node.entity.name}" ${where(node)}: ${typeInfo(kindOf(node.server.def.kind), s.type).noun[0]} id ${s.id ?? '(none)'}, ${resultOf(s.status)}${progressText(s) ? ` (${progressText(s)})` : ''}. The Veeam view and the status bar follow it; veeam_runningWork shows its progress.`;
  }

  async stopped(node: EntityNode): Promise<string> {
    let s: Entity | undefined;
    try { s = await requestStop(this.ctx, node); } catch (e) { return postFailed(node, toVeeamError(e), 'stop'); }
    if (s) { this.remember(node.server, s); }
    return `Stop of "${node.entity.name}" ${where(node)} requested${s?.id ? ` (session id ${s.id})` : ''}. The Veeam view follows the session until it ends; check with veeam_runningWork or veeam_findSessions.`;
  }
}

/** Text for a MarkdownString, with Markdown's special characters escaped (names come from the servers). */
function esc(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\s*\n\s*/g, ' ');
}

/** A POST that failed: what the model may say, and whether it may have reached the server. */
function postFailed(node: EntityNode, e: VeeamError, what: string): string {
  if (e.kind === 'cancelled') { throw e; }
  const maybe = e.kind === 'timeout' || e.kind === 'network';
  return `${errorText(node.server.def.name, e)} The ${what} request for "${node.entity.name}" was sent at most once and is not retried.${maybe ? ' It may have reached the server: check with veeam_findSessions (result running) before asking to try again.' : ''}`;
}

interface ActionSpec {
  action: 'startJob' | 'stopJob' | 'sync';
  /** The input field naming the target. */
  field: 'job' | 'repository';
  noun: string; nouns: string;
  verb: string; verbTitle: string; progress: string;
  effect: string;
  followed: boolean;
  run(t: Tools, node: EntityNode): Promise<string>;
}

const ACTIONS: Record<'startJob' | 'stopJob' | 'sync', ActionSpec> = {
  startJob: {
    action: 'startJob', field: 'job', noun: 'job', nouns: 'jobs', verb: 'start', verbTitle: 'Start', progress: 'Starting',
    effect: 'The job runs now with its configured settings.', followed: true, run: (t, n) => t.started(n, 'start'),
  },
  stopJob: {
    action: 'stopJob', field: 'job', noun: 'job', nouns: 'jobs', verb: 'stop', verbTitle: 'Stop', progress: 'Stopping',
    effect: 'The running session ends now; what it has not processed yet is not backed up until the next run.', followed: true,
    run: (t, n) => t.stopped(n),
  },
  sync: {
    action: 'sync', field: 'repository', noun: 'repository', nouns: 'repositories', verb: 'synchronize', verbTitle: 'Synchronize', progress: 'Synchronizing',
    effect: 'The server synchronizes the repository\'s backup data now.', followed: true, run: (t, n) => t.started(n, 'sync'),
  },
};
