// The packaged extension (dist/extension.js, kinds loaded lazily from dist/) activated in plain Node
// with the vscode stub, driven through its tree provider against the simulator host. One mode per
// process (an argument { mode, control, sims, … }); prints one JSON line with the result.
//   requests   requests per server expand, folder expand, listing, Load more and document (both kinds)
//   memory     heap retained by 10,000 listed sessions of each kind in the tree's cache, and after a refresh
//              (run with --expose-gc)
//   idle       expands the tree, prints {"ready":true}, waits BENCH_IDLE_SECONDS (60) and counts requests
//   single     expands each server alone, one after the other (each the server's first expand)
//   parallel   expands every server at once
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fakeContext, installVscodeStub, logLines } from './vscode-stub';
import { DIST, controlOf, gc, StatsRecord } from './lib';
import type { SimInfo } from './sim-host';
import type { Entity, ServerClient, ServerKind } from '../../src/api/model';

interface Node { kind: 'server' | 'entity' | 'message' | 'loadMore'; id: string; entity?: { type: string; name: string; key: string; ref: Record<string, string>; hasChildren: boolean }; server: { key: string; def: { kind: string; name: string } }; label?: string }
interface Ctx {
  tree: { getChildren(n?: Node): Promise<Node[]>; loadMore(n: Node): Promise<void>; refresh(n?: Node): void; cached(n: Node): Node[] | undefined; settled(n: Node): Promise<void> };
  store: { list(): { key: string; def: { name: string; kind: string } }[] };
  secrets: { set(k: string, v: string): Promise<void> };
  watcher: { running(): unknown[] };
  docs: { open(n: Node, f: 'json' | 'xml'): Promise<unknown> };
}
export interface ServerSpec { name: string; kind: 'vb365' | 'em' | 'vbr'; sim: number }
interface Args { mode: string; control: string; sims: SimInfo[]; servers: ServerSpec[]; pageSize?: number; idleSeconds?: number; quiet?: boolean; only?: number }

const args = JSON.parse(process.argv[2]) as Args;
const control = controlOf(args.control);

async function boot(): Promise<Ctx> {
  installVscodeStub({
    'veeam.servers': args.servers.map((s) => ({
      name: s.name, kind: s.kind, url: args.sims[s.sim][s.kind]!, username: args.sims[s.sim].username, trustedCertificate: args.sims[s.sim].fingerprint256,
    })),
    'veeam.sessions.pageSize': args.pageSize ?? 50,
    'veeam.http.timeoutSeconds': 120,
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(path.join(DIST, 'extension.js')) as { activate(c: unknown): Ctx };
  const ctx = ext.activate(fakeContext());
  const list = ctx.store.list();
  for (let i = 0; i < list.length; i++) { await ctx.secrets.set(list[i].key, args.sims[args.servers[i].sim].password); }
  return ctx;
}

/** Clients of the kinds (from dist/, apart from the tree's) that tell whether a node's children include running work. */
function probes(): { running(n: Node): Promise<boolean>; dispose(): Promise<void> } {
  const clients = new Map<string, ServerClient>();
  const client = (n: Node): ServerClient => {
    const i = args.servers.findIndex((s) => s.name === n.server.def.name);
    const spec = args.servers[i]; const sim = args.sims[spec.sim];
    let c = clients.get(spec.name);
    if (!c) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(DIST, 'api', `${spec.kind}.js`)) as Record<string, ServerKind>;
      const kind = Object.values(mod).find((k) => k && typeof k.createClient === 'function')!;
      c = kind.createClient({ name: spec.name, kind: spec.kind, url: sim[spec.kind]!, username: sim.username, trustedCertificate: sim.fingerprint256 },
        { credentials: { password: async () => sim.password }, log: () => undefined, http: { timeoutMs: 60000, connectTimeoutMs: 5000, pageSize: args.pageSize ?? 50 } });
      clients.set(spec.name, c);
    }
    return c;
  };
  return {
    async running(n) { return (await client(n).children(n.entity as unknown as Entity, undefined)).items.some((e) => e.status === 'running'); },
    async dispose() { await Promise.all([...clients.values()].map((c) => c.dispose())); },
  };
}

const entities = (nodes: Node[]) => nodes.filter((n) => n.kind === 'entity');
const more = (nodes: Node[]) => nodes.find((n) => n.kind === 'loadMore');
function mustList(nodes: Node[], what: string): Node[] {
  const msg = nodes.find((n) => n.kind === 'message' && n.label && !/^No /.test(n.label));
  if (msg && !entities(nodes).length) { throw new Error(`${what}: ${msg.label}`); }
  return nodes;
}

/** Requests the simulators saw during fn. */
async function counted(fn: () => Promise<unknown>): Promise<StatsRecord[]> {
  await control.reset();
  await fn();
  return (await control.stats()).flatMap((s) => s.log);
}
const describe = (log: StatsRecord[]) => log.map((r) => `${r.method} ${r.path.split('?')[0]}${/^\/api\/query\?/.test(r.path) ? `?${r.path.split('?')[1].split('&')[0]}` : ''}`);
/** Request lines in the extension's log ('[server] GET /path → 200 (3 ms)'), written when a request ends. */
const requestLines = () => logLines().filter((l) => /^\[[^\]]*\] [A-Z]+ \/\S* → /.test(l)).length;

/** Everything below a node, loading all pages (Load more until there is none). */
async function listAll(ctx: Ctx, node: Node): Promise<number> {
  let nodes = mustList(await ctx.tree.getChildren(node), node.id);
  for (let m = more(nodes); m; m = more(nodes)) {
    await ctx.tree.loadMore(m);
    nodes = ctx.tree.cached(node) ?? [];
  }
  return entities(nodes).length;
}

/** The node below `parent` with the most children (the bench's 10,000-session job or session). */
async function biggest(ctx: Ctx, parents: Node[]): Promise<Node> {
  for (const p of parents) {
    if (!p.entity?.hasChildren) { continue; }
    const kids = await ctx.tree.getChildren(p);
    if (more(kids)) { return p; }
  }
  throw new Error('no listing with more than one page');
}

async function sessionsNode(ctx: Ctx, server: Node): Promise<Node> {
  const folders = mustList(await ctx.tree.getChildren(server), server.id);
  if (server.server.def.kind !== 'em') {   // VB365 and VBR: the job with the bench's 10,000 sessions
    return biggest(ctx, entities(await ctx.tree.getChildren(folders.find((f) => f.entity?.ref.folder === 'jobs')!)));
  }
  return biggest(ctx, entities(await ctx.tree.getChildren(folders.find((f) => f.entity?.ref.folder === 'replicaSessions')!)));
}

const modes: Record<string, () => Promise<unknown>> = {
  async requests() {
    const ctx = await boot();
    const servers = await ctx.tree.getChildren();
    const out: Record<string, { what: string; requests: number; paths: string[] }[]> = {};
    for (const server of servers) {
      const rows: { what: string; requests: number; paths: string[] }[] = [];
      const row = async (what: string, fn: () => Promise<unknown>) => { const log = await counted(fn); rows.push({ what, requests: log.length, paths: describe(log) }); };
      // An expand: the requests until its nodes show, then (a row of its own) what the page's `later` adds
      // after they show (EM: the jobs' last runs). The extension logs a request when it ends, so the lines
      // written before getChildren resolved are exactly the requests the nodes waited for.
      const expand = async (what: string, n: Node): Promise<Node[]> => {
        let kids: Node[] = []; let shown = 0;
        const log = await counted(async () => {
          const before = requestLines();
          kids = mustList(await ctx.tree.getChildren(n), n.id);
          shown = requestLines() - before;
          await ctx.tree.settled(n);
        });
        rows.push({ what, requests: shown, paths: describe(log.slice(0, shown)) });
        if (log.length > shown) { rows.push({ what: `${what.replace(/\S.*/, '')}  then, after they show (later)`, requests: log.length - shown, paths: describe(log.slice(shown)) }); }
        return kids;
      };
      let folders: Node[] = [];
      await row('server expand (first: version + logon)', async () => { folders = mustList(await ctx.tree.getChildren(server), server.id); });
      // Each folder, and below each the first entity that has children, down to three levels.
      const walk = async (nodes: Node[], depth: number): Promise<void> => {
        const folder = entities(nodes).filter((n) => n.entity?.type === 'folder');
        const other = entities(nodes).find((n) => n.entity?.type !== 'folder' && n.entity?.hasChildren);
        for (const n of [...folder, ...(other ? [other] : [])]) {
          const kids = await expand(`${'  '.repeat(depth)}expand ${n.entity!.type === 'folder' ? n.entity!.name : n.entity!.type}`, n);
          if (depth < 3) { await walk(kids, depth + 1); }
        }
      };
      await walk(folders, 1);
      const first = entities(folders).find((f) => f.entity?.hasChildren)!;
      await row('expand a folder again (cached)', async () => { await ctx.tree.getChildren(first); });
      // A listing with Load more: the sessions of a job (VB365) or the replica sessions (EM).
      const sessions = server.server.def.kind !== 'em'
        ? entities(await ctx.tree.getChildren(entities(folders).find((f) => f.entity?.ref.folder === 'jobs')!)).find((j) => j.entity?.hasChildren)!
        : entities(folders).find((f) => f.entity?.ref.folder === 'replicaSessions')!;
      const listing = await ctx.tree.getChildren(sessions);
      const m = more(listing);
      if (m) { await row(`Load more (${sessions.entity!.name})`, () => ctx.tree.loadMore(m)); }
      const doc = entities(listing)[0];
      await row(`open as JSON (${doc.entity!.type})`, () => ctx.docs.open(doc, 'json'));
      await row(`open as XML (${doc.entity!.type})`, () => ctx.docs.open(doc, 'xml'));
      await row('refresh of the server, expand again', async () => { ctx.tree.refresh(server); await ctx.tree.getChildren(server); });
      out[server.server.def.kind] = rows;
    }
    return out;
  },

  async memory() {
    const ctx = await boot();
    const servers = await ctx.tree.getChildren();
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    // Code loaded, clients logged on, the target nodes found: only the listing itself is measured.
    const targets: Node[] = [];
    for (const s of servers) { targets.push(await sessionsNode(ctx, s)); }
    for (const t of targets) { ctx.tree.refresh(t); }
    const base = heap();
    const kinds: { kind: string; sessions: number; bytes: number }[] = [];
    let last = base;
    for (const t of targets) {
      const n = await listAll(ctx, t);
      const h = heap();
      kinds.push({ kind: t.server.def.kind, sessions: n, bytes: h - last });
      last = h;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (process.env.BENCH_HEAPSNAPSHOT) { (require('node:v8') as typeof import('node:v8')).writeHeapSnapshot(process.env.BENCH_HEAPSNAPSHOT); }
    ctx.tree.refresh();
    await new Promise((r) => setTimeout(r, 50));
    const after = heap();
    return { kinds, total: last - base, afterRefresh: after - base };
  },

  async idle() {
    const ctx = await boot();
    const seconds = args.idleSeconds ?? 60;
    // quiet: a listing that holds running work is left collapsed (a separate client looks first), so
    // nothing runs; otherwise the tree is expanded everywhere and the running items are watched.
    const probe = args.quiet ? probes() : undefined;
    let expanded = 0; let skipped = 0;
    const expand = async (n: Node, depth: number): Promise<void> => {
      if (probe && n.entity && (await probe.running(n))) { skipped++; return; }
      const kids = await ctx.tree.getChildren(n);
      expanded++;
      if (depth > 1) { return; }
      for (const k of entities(kids)) { if (k.entity?.hasChildren) { await expand(k, depth + 1); } }
    };
    for (const s of await ctx.tree.getChildren()) { await expand(s, 0); }
    await probe?.dispose();
    const running = ctx.watcher.running().length;
    await control.reset();
    process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const log = (await control.stats()).flatMap((s) => s.log);
    return { seconds, expanded, skipped, running, requests: log.length, paths: [...new Set(describe(log))].slice(0, 6) };
  },

  async single() {
    const ctx = await boot();
    const times: { name: string; kind: string; ms: number }[] = [];
    const all = await ctx.tree.getChildren();
    for (const s of args.only !== undefined ? [all[args.only]] : all) {
      const t0 = performance.now();
      mustList(await ctx.tree.getChildren(s), s.id);
      times.push({ name: s.server.def.name, kind: s.server.def.kind, ms: performance.now() - t0 });
    }
    return times;
  },

  async parallel() {
    const ctx = await boot();
    const servers = await ctx.tree.getChildren();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const times = await Promise.all(servers.map(async (s) => {
      mustList(await ctx.tree.getChildren(s), s.id);
      return { name: s.server.def.name, kind: s.server.def.kind, ms: performance.now() - t0 };
    }));
    const c = process.cpuUsage(c0);
    return { times, cpuMs: (c.user + c.system) / 1000 };
  },
};

modes[args.mode]().then((r) => { process.stdout.write(`${JSON.stringify(r)}\n`); process.exit(0); },
  (e: unknown) => { process.stderr.write(`tree ${args.mode}: ${e instanceof Error ? e.stack : String(e)}\n`); process.exit(1); });
