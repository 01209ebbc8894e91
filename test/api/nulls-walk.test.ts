// Nulls from the server. With the simulator's `nulls` mode every nullable id, date and number of every
// entity is null (schema-valid); the whole tree of each kind is walked (children() from the root through
// every folder and page up to a bound, refresh() and document() on every entity). No request may carry
// null/undefined, nothing may throw, and what the tree shows must read sensibly (no NaN, Invalid Date,
// undefined or null). The same walk runs on the normal data, and the normalizers get ids without
// dates and numbers, and unknown enum values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import type { Entity, ServerClient } from '../../src/api/model';
import { detailsOf } from '../../src/api/model';
import { EmClient } from '../../src/api/em';
import { mapEntity, type EmType } from '../../src/api/em/map';
import * as N from '../../src/api/vb365/normalize';
import { makeClient, settledPage } from './helpers';

const BAD_TEXT = /NaN|Invalid Date|undefined|\bnull\b/;
const BAD_URL = /(^|[/=])(null|undefined)([/?&#]|$)|%3D%3D(null|undefined)|\/\//i;

interface WalkResult { entities: Entity[]; problems: string[]; calls: number }

/** Every string the tree shows for an entity. */
function texts(e: Entity): string[] {
  return [e.name, e.description ?? '', ...detailsOf(e).flatMap((d) => [d.label, d.value])];
}

function check(e: Entity, where: string, problems: string[]): void {
  for (const t of texts(e)) {
    if (BAD_TEXT.test(t)) { problems.push(`${where} ${e.type} "${e.name}": shows "${t}"`); }
  }
  if (e.id !== undefined && (e.id === '' || /^(null|undefined)$/i.test(e.id))) { problems.push(`${where} ${e.type} "${e.name}": id "${e.id}"`); }
  if (/\b(null|undefined)\b/.test(e.key)) { problems.push(`${where} ${e.type} "${e.name}": key ${e.key}`); }
  for (const [k, v] of Object.entries(e.ref)) {
    if (k !== 'raw' && /^(null|undefined)$/i.test(v)) { problems.push(`${where} ${e.type} "${e.name}": ref.${k} = ${v}`); }
  }
  if (!e.id && e.type !== 'folder') {
    const extra = e.actions.filter((a) => a !== 'openJson');
    if (extra.length) { problems.push(`${where} ${e.type} "${e.name}" has no id but offers ${extra.join(', ')}`); }
    if (e.hasChildren) { problems.push(`${where} ${e.type} "${e.name}" has no id but says it has children`); }
  }
}

/** children() recursively from the root, every page up to `maxPages`, refresh() and document() on each entity. */
async function walk(c: ServerClient, maxPages = 4, maxEntities = 400): Promise<WalkResult> {
  const r: WalkResult = { entities: [], problems: [], calls: 0 };
  const attempt = async <T>(what: string, p: () => Promise<T>): Promise<T | undefined> => {
    r.calls++;
    try { return await p(); } catch (e) { r.problems.push(`${what}: ${e instanceof Error ? `${e.name} ${e.message}` : String(e)}`); return undefined; }
  };
  const visit = async (parent: Entity | undefined, depth: number): Promise<void> => {
    let cursor: string | undefined;
    // Keys are unique among siblings (the tree's ids derive from them). EM lists a session both in its folder
    // and under its job with the same key, so uniqueness across parents is not checked here.
    const keys = new Set<string>();
    for (let page = 0; page < maxPages; page++) {
      const p = await attempt(`children of ${parent?.name ?? 'the server'}`, () => settledPage(c, parent, cursor));
      if (!p) { return; }
      for (const e of p.items) {
        if (r.entities.length >= maxEntities) { return; }
        r.entities.push(e);
        if (keys.has(e.key)) { r.problems.push(`duplicate key ${e.key}`); }
        keys.add(e.key);
        check(e, 'listed', r.problems);
        if (e.type !== 'folder') {
          const fresh = await attempt(`refresh of ${e.type} "${e.name}"`, () => c.refresh(e));
          if (fresh) { check(fresh, 'refreshed', r.problems); }
          if (e.actions.includes('openJson')) {
            const doc = await attempt(`JSON of ${e.type} "${e.name}"`, () => c.document(e, 'json'));
            if (doc) { await attempt(`parse JSON of "${e.name}"`, async () => JSON.parse(doc.text.replace(/^\uFEFF/, ''))); }
          }
          if (e.actions.includes('openXml')) {
            const doc = await attempt(`XML of ${e.type} "${e.name}"`, () => c.document(e, 'xml'));
            if (doc && !doc.text.trimStart().startsWith('<')) { r.problems.push(`XML of "${e.name}" is not XML`); }
          }
        }
        if (e.hasChildren && depth < 6) { await visit(e, depth + 1); }
      }
      cursor = p.next;
      if (!cursor) { return; }
    }
  };
  await visit(undefined, 0);
  return r;
}

function badRequests(sim: SimulatorExt): string[] {
  return sim.stats.log.map((x) => `${x.method} ${x.path}`).filter((p) => BAD_URL.test(p.split(' ')[1]));
}

function emClient(sim: SimulatorExt, wire: 'xml' | 'json'): EmClient {
  return new EmClient({ name: 'em', kind: 'em', url: sim.em.url, username: sim.credentials.username, trustedCertificate: sim.certificate.fingerprint256 },
    { credentials: { password: async () => sim.credentials.password }, log: () => undefined,
      http: { timeoutMs: 5000, connectTimeoutMs: 2000, pageSize: 20 } }, { wire });
}

for (const nulls of [true, false]) {
  describe(`the whole tree, ${nulls ? 'nulls in every nullable id, date and number' : 'normal data'}`, () => {
    let sim: SimulatorExt;
    before(async () => {
      sim = await startSimulator({ vb365: { nulls, versions: ['v4', 'v5', 'v6', 'v7', 'v8'], sessionsPerJob: 5 }, em: { nulls, sessionsPerJob: 3 } });
    });
    after(async () => { await sim.close(); });

    for (const v of ['v8', 'v7', 'v4'] as const) {
      test(`VB365 ${v}: every entity listed, refreshed and opened; no request to a bad URL; nothing shows NaN/null/undefined`, async (t) => {
        sim.resetStats();
        const { client } = makeClient(sim, 'vb365', { apiVersion: v }, { pageSize: 4 });
        try {
          const r = await walk(client);
          t.diagnostic(`${r.entities.length} entities, ${r.calls} calls`);
          assert.deepEqual(r.problems, []);
          assert.deepEqual(badRequests(sim), []);
          const types = new Set(r.entities.map((e) => e.type));
          for (const t of ['folder', 'organization', 'repository', 'job', ...(nulls ? [] : ['jobSession'])]) { assert.ok(types.has(t as Entity['type']), `walked a ${t}`); }
          assert.ok(r.entities.length >= (nulls ? 14 : 30), `${r.entities.length} entities`);
          if (nulls) {
            assert.ok(r.entities.filter((e) => e.type !== 'folder').every((e) => e.id === undefined && e.actions.join() === 'openJson'));
            const job = r.entities.find((e) => e.type === 'job')!;
            assert.equal(JSON.parse((await client.document(job, 'json')).text).name, job.name, 'the payload as the server sent it');
          }
        } finally { await client.dispose(); }
      });
    }

    for (const wire of ['xml', 'json'] as const) {
      test(`EM (${wire}): every entity listed, refreshed and opened; no request to a bad URL; nothing shows NaN/null/undefined`, async (t) => {
        sim.resetStats();
        const client = emClient(sim, wire);
        try {
          const r = await walk(client, 3, 300);
          t.diagnostic(`${r.entities.length} entities, ${r.calls} calls`);
          assert.deepEqual(r.problems, []);
          assert.deepEqual(badRequests(sim), []);
          const types = new Set(r.entities.map((e) => e.type));
          for (const t of ['folder', 'backupServer', 'backupSession', 'replicaSession', ...(nulls ? [] : ['job', 'repository', 'taskSession'])]) {
            assert.ok(types.has(t as Entity['type']), `walked a ${t}`);
          }
          if (nulls) {
            const s = r.entities.find((e) => e.type === 'backupSession')!;
            assert.equal(JSON.parse((await client.document(s, 'json')).text).JobName, s.name.split(' · ')[0]);
          }
        } finally { await client.dispose(); }
      });
    }
  });
}

describe('normalizers: ids without dates and numbers, unknown enum values', () => {
  const problems: string[] = [];
  after(() => assert.deepEqual(problems, []));

  test('VB365 entities with an id and every date and number null', () => {
    const id = '6a3fa2fb-3a77-4d99-8b5d-b6bd4102ffb1';
    const nums = { capacityBytes: null, freeSpaceBytes: null, progress: null, retryCount: null, progressPercent: null, eTag: null };
    const dates = { creationTime: null, endTime: null, lastRun: null, nextRun: null, lastBackup: null, firstBackuptime: null, lastBackuptime: null };
    const stats = { statistics: { processingRateBytesPS: null, processingRateItemsPS: null, readRateBytesPS: null, writeRateBytesPS: null,
      transferredDataBytes: null, processedObjects: null, bottleneck: null } };
    const all = { id, name: 'x', ...nums, ...dates, ...stats };
    const running = N.jobSession({ ...all, status: 'Running' });
    assert.equal(running.description, 'Running');
    const syncing = N.syncSession({ id, repositoryId: id, state: 'Synchronizing', progressPercent: null });
    assert.equal(syncing.description, 'Synchronizing');
    const repo = N.repository(all);
    assert.equal(repo.description, 'size unknown');
    for (const e of [N.organization(all), repo, N.job(all), N.jobSession(all), N.jobSession({ ...all, status: 'Success' }), running, syncing,
      N.syncSession({ ...all, state: 'Failed' })]) {
      check(e, 'VB365', problems);
      assert.equal(e.id, id);
    }
    assert.ok(repo.actions.includes('sync') && repo.hasChildren, 'with an id, actions and children stay');
    const half = N.repository({ id, capacityBytes: 1024 ** 4, freeSpaceBytes: null });
    assert.equal(half.description, '1.0 TB capacity');
    assert.ok(!detailsOf(half).some((d) => /%/.test(d.value)), 'no percentage from an unknown free space');
  });

  test('VB365 unknown enum values are shown as they are', () => {
    const s = N.jobSession({ id: 'a', status: 'Postponed', creationTime: '2025-06-13T22:00:00Z', endTime: '2025-06-13T22:02:00Z' });
    assert.equal(s.status, 'unknown');
    assert.match(s.description!, /^Postponed · /);
    assert.ok(detailsOf(s).some((d) => d.label === 'Status' && d.value === 'Postponed'));
    const j = N.job({ id: 'b', name: 'J', lastStatus: 'Throttled', isEnabled: true });
    assert.match(j.description!, /Throttled/);
    const sync = N.syncSession({ id: 'c', repositoryId: 'r', state: 'Rebuilding' });
    assert.ok(detailsOf(sync).some((d) => d.value === 'Rebuilding'));
  });

  test('EM entities with a UID and every date and number empty, and unknown State/Result values', () => {
    const types: EmType[] = ['BackupServer', 'Job', 'Repository', 'BackupJobSession', 'ReplicaJobSession', 'BackupTaskSession', 'ReplicaTaskSession'];
    for (const type of types) {
      const o = { UID: `urn:veeam:${type}:1f038a6b-0000-4000-8000-000000000000`, Name: 'n', Href: `https://em01:9398/api/x/1f038a6b?format=Entity`,
        Port: '', Capacity: '', FreeSpace: '', Progress: null, TotalSize: '', CreationTimeUTC: '', EndTimeUTC: null, NextRun: '', JobName: 'J',
        State: 'Postprocessing', Result: 'Cancelled' };
      const e = mapEntity(type, o);
      check(e, `EM ${type}`, problems);
      assert.ok(e.id && e.actions.includes('copyId'));
      if (/Session$/.test(type)) { assert.match(e.description!, /Cancelled/); }
    }
    const free = mapEntity('Repository', { UID: 'urn:veeam:Repository:1', Href: 'https://em01:9398/api/repositories/1', Capacity: '1099511627776', FreeSpace: '' });
    assert.equal(free.description, '1.0 TB capacity');
  });
});
