// Session logs of 10,000 records for every kind: the client's sessionLog (every page, mapped) plus
// the document text (renderLog), timed from the request to the text, median of paired-free runs.
// Goal (#9): a log of 10,000 records opens in under a second on this machine.
import { performance } from 'node:perf_hooks';
import { startSimulator } from '../simulator';
import { kindOf } from '../../src/api/kinds';
import type { Entity, ServerClient } from '../../src/api/model';
import { renderLog } from '../../src/ui/logText';
import { startSimHost } from './lib';

const RUNS = 5;
const RECORDS = 10_000;

export async function benchLogs(): Promise<Record<string, string>> {
  const sim = await startSimulator({ vb365: { benchLogItems: RECORDS }, vbr: { logRecords: RECORDS } });
  const out: Record<string, string> = {};
  try {
    const make = (kind: string, url: string): ServerClient => kindOf(kind)!.createClient({
      name: kind, kind, url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256,
    }, { credentials: { password: async () => sim.credentials.password }, log: () => undefined, http: { timeoutMs: 60000, connectTimeoutMs: 5000, pageSize: 50 } });
    const emJob = sim.emData.jobs().find((j) => !j.running)!;
    const emSession = sim.emData.addSession(emJob.id, { vmCount: RECORDS, result: 'Failed', message: 'Error: Cannot connect to host esx02.lab.local.' });
    const targets: [string, string, string][] = [
      ['vb365', sim.vb365.url, sim.vb365Data.bigLogSession()!],
      ['em', sim.em.url, emSession.uid],
      ['vbr', sim.vbr.url, sim.vbrData.fixtures().bigLogSessionId],
    ];
    for (const [kind, url, id] of targets) {
      const client = make(kind, url);
      try {
        await client.connect();
        const since = new Date(Date.now() - 31 * 86_400_000).toISOString();
        const all = await client.sessionsSince!({ since, limit: 100_000 });
        const session = all.find((e: Entity) => e.id === id || e.key.includes(id) || e.id?.endsWith(id));
        if (!session) { out[`log of ${RECORDS} records, ${kind}`] = `session ${id} not found among ${all.length}`; continue; }
        const times: number[] = []; let lines = 0;
        for (let i = 0; i < RUNS + 1; i++) {
          const t = performance.now();
          const log = await client.sessionLog!(session);
          const text = renderLog({ entity: session, server: { def: { name: kind } } }, log.lines, log);
          const ms = performance.now() - t;
          if (i > 0) { times.push(ms); }                      // the first run warms up
          lines = text.split('\n').length;
        }
        times.sort((a, b) => a - b);
        out[`log of ${RECORDS.toLocaleString('en-US')} records opens (${kind}: sessionLog + document text)`] =
          `${times[Math.floor(times.length / 2)].toFixed(0)} ms median (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}; ${lines} lines) — goal < 1000 ms`;
      } finally { await client.dispose(); }
    }
  } finally { await sim.close(); }
  // The same for EM with the simulator in its own process (its XML for 10,000 task sessions is then not this
  // process's CPU): the replica session that carries the bench's 10,000 task sessions.
  const host = await startSimHost(1, { em: { benchReplicaTaskSessions: RECORDS, sessionsPerJob: 20 } });
  try {
    const info = host.sims[0] as unknown as { em: string; username: string; password: string; fingerprint256: string };
    const client = kindOf('em')!.createClient({ name: 'em', kind: 'em', url: info.em, username: info.username, trustedCertificate: info.fingerprint256 },
      { credentials: { password: async () => info.password }, log: () => undefined, http: { timeoutMs: 60000, connectTimeoutMs: 5000, pageSize: 50 } });
    try {
      const top = await client.children(undefined, undefined);
      const sessions = (await client.children(top.items.find((f) => f.ref.folder === 'replicaSessions')!, undefined)).items;
      let session: Entity | undefined;
      for (const x of sessions) { if ((await client.children(x, undefined)).next) { session = x; break; } }
      if (session) {
        const times: number[] = []; let lines = 0;
        for (let i = 0; i < RUNS + 1; i++) {
          const t = performance.now();
          const log = await client.sessionLog!(session);
          const text = renderLog({ entity: session, server: { def: { name: 'em' } } }, log.lines, log);
          if (i > 0) { times.push(performance.now() - t); }
          lines = text.split('\n').length;
        }
        times.sort((a, b) => a - b);
        out[`log of ${RECORDS.toLocaleString('en-US')} records opens (em, simulator in its own process)`] =
          `${times[Math.floor(times.length / 2)].toFixed(0)} ms median (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}; ${lines} lines) — goal < 1000 ms`;
      }
    } finally { await client.dispose(); }
  } finally { host.close(); }
  return out;
}

if (require.main === module) {
  void benchLogs().then((r) => { for (const [k, v] of Object.entries(r)) { console.log(`${k}: ${v}`); } process.exit(0); });
}
