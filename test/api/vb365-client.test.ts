// The VB365 client against the simulator over real HTTPS: trust, versions, tree reads,
// paging, sync, tokens, documents and errors. No stubbed HTTP anywhere.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, SimulatorExt } from '../simulator';
import { Entity, detailsOf } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';
import { makeClient, postsTo, until } from './helpers';

async function folders(c: ReturnType<typeof makeClient>['client']): Promise<Record<string, Entity>> {
  const top = await c.children(undefined, undefined);
  return Object.fromEntries(top.items.map((e) => [e.ref.folder, e]));
}

describe('VB365 client (v8 server)', () => {
  let sim: SimulatorExt;
  before(async () => { sim = await startSimulator({ vb365: { syncDurationMs: 1500, sessionsPerJob: 120 } }); });
  after(async () => { await sim.close(); });

  test('an untrusted self-signed certificate is reported with its fingerprint, before any HTTP request', async () => {
    sim.resetStats();
    const { client } = makeClient(sim, 'vb365', { trustedCertificate: undefined });
    const err = await client.children(undefined, undefined).then(() => undefined, (e: VeeamError) => e);
    assert.equal(err?.kind, 'certificate');
    assert.equal(err?.extra.certificate?.fingerprint256, sim.certificate.fingerprint256);
    assert.match(err!.message, /self-signed/);
    assert.equal(sim.stats.requests, 0, 'no HTTP request may reach an untrusted server');
    await client.dispose();
  });

  test('a pinned certificate that does not match is refused with old and new fingerprints, no request sent', async () => {
    sim.resetStats();
    const wrong = 'AA:'.repeat(31) + 'AA';
    const { client } = makeClient(sim, 'vb365', { trustedCertificate: wrong });
    const err = await client.children(undefined, undefined).then(() => undefined, (e: VeeamError) => e);
    assert.equal(err?.kind, 'certificate');
    assert.equal(err?.extra.certificate?.pinnedFingerprint, wrong);
    assert.equal(err?.extra.certificate?.fingerprint256, sim.certificate.fingerprint256);
    assert.equal(sim.stats.requests, 0, 'the request must not be sent over a mismatching connection');
    await client.dispose();
  });

  test('reads organizations, repositories and jobs with the pinned certificate', async () => {
    const { client } = makeClient(sim, 'vb365');
    const f = await folders(client);
    assert.deepEqual(Object.keys(f), ['orgs', 'repos', 'jobs']);
    const orgs = await client.children(f.orgs, undefined);
    const repos = await client.children(f.repos, undefined);
    const jobs = await client.children(f.jobs, undefined);
    assert.equal(orgs.items.length, 2);
    assert.equal(repos.items.length, 3);
    assert.ok(repos.items.some((r) => r.name === 'Local Repo'));
    assert.match(repos.items[0].description!, /free of/);
    assert.equal(jobs.items.length, 6);
    for (const e of [...orgs.items, ...repos.items, ...jobs.items]) {
      assert.ok(e.id && e.key.includes(e.id), 'entities carry their id');
    }
    await client.dispose();
  });

  test('job sessions come newest first, paged with Load more, and cover every session once', async () => {
    const { client } = makeClient(sim, 'vb365', {}, { pageSize: 50 });
    const f = await folders(client);
    const job = (await client.children(f.jobs, undefined)).items[0];
    const seen: Entity[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = await client.children(job, cursor);
      seen.push(...p.items);
      cursor = p.next;
      pages++;
    } while (cursor && pages < 20);
    assert.ok(pages >= 3, `expected several pages, got ${pages}`);
    assert.ok(seen.length >= 120, `all sessions listed (${seen.length})`);
    assert.equal(new Set(seen.map((s) => s.id)).size, seen.length, 'no duplicates across pages');
    const times = seen.map((s) => Date.parse(s.startedAt!));
    assert.deepEqual([...times].sort((a, b) => b - a), times, 'newest first');
    const s = seen.find((x) => x.status === 'success')!;
    assert.match(s.description!, /^Success · /);
    const labels = detailsOf(s).map((d) => d.label);
    for (const l of ['Start', 'End', 'Duration', 'Processed objects', 'Transferred', 'Read rate', 'Write rate', 'Processing rate', 'Bottleneck']) {
      assert.ok(labels.includes(l), `tooltip has ${l}`);
    }
    await client.dispose();
  });

  test('sync: one POST, progress rises, and the session leaves Synchronizing', async () => {
    sim.resetStats();
    const { client } = makeClient(sim, 'vb365');
    const f = await folders(client);
    const repo = (await client.children(f.repos, undefined)).items.find((r) => r.name === 'Local Repo')!;
    const session = await client.sync!(repo);
    assert.equal(session.type, 'syncSession');
    assert.equal(session.status, 'running');
    const seen: number[] = [];
    const done = await until(() => client.refresh(session), (e) => { seen.push(e.progress?.percent ?? -1); return e.status !== 'running'; }, 15000, 150);
    assert.equal(done.status, 'success');
    assert.ok(seen.some((p) => p > 0 && p < 100) || seen.length > 1, `progress observed: ${seen}`);
    assert.equal(postsTo(sim, /BackupRepositories\/.*\/Sync$/i), 1, 'exactly one sync POST');
    const listed = await client.children(repo, undefined);
    assert.ok(listed.items.some((e) => e.id === session.id), 'the sync session is listed under its repository');
    await client.dispose();
  });

  test('documents: JSON is the raw payload, XML is the same payload built with fast-xml-parser', async () => {
    const { client } = makeClient(sim, 'vb365');
    const f = await folders(client);
    const job = (await client.children(f.jobs, undefined)).items[0];
    const session = (await client.children(job, undefined)).items[0];
    const json = await client.document(session, 'json');
    const parsed = JSON.parse(json.text);
    assert.equal(parsed.id, session.id);
    assert.ok('jobId' in parsed && 'statistics' in parsed);
    const xml = await client.document(session, 'xml');
    assert.match(xml.text, /^<\?xml[^>]*>\s*<JobSession>/);
    assert.ok(xml.text.includes(`<id>${session.id}</id>`));
    await client.dispose();
  });

  test('an expired access token is renewed once with the refresh token, however many requests wait', async () => {
    const { client } = makeClient(sim, 'vb365');
    const f = await folders(client);
    sim.resetStats();
    sim.expireTokens();
    await Promise.all([client.children(f.orgs, undefined), client.children(f.repos, undefined), client.children(f.jobs, undefined)]);
    const tokenPosts = sim.stats.log.filter((r) => r.method === 'POST' && /\/token$/i.test(r.path.split('?')[0]));
    assert.equal(tokenPosts.length, 1, 'one renewal');
    assert.match(tokenPosts[0].body, /grant_type=refresh_token/);
    assert.match(tokenPosts[0].body, /disable_antiforgery_token=true/);
    await client.dispose();
  });

  test('a rejected refresh token falls back to the password', async () => {
    const { client } = makeClient(sim, 'vb365');
    const f = await folders(client);
    sim.resetStats();
    sim.expireTokens();
    sim.expireRefreshTokens();
    const jobs = await client.children(f.jobs, undefined);
    assert.equal(jobs.items.length, 6);
    const grants = sim.stats.log.filter((r) => /\/token$/i.test(r.path.split('?')[0])).map((r) => /grant_type=(\w+)/.exec(r.body)?.[1]);
    assert.deepEqual(grants, ['refresh_token', 'password']);
    await client.dispose();
  });

  test('a wrong password is an auth error that names the user, never the password', async () => {
    const t = makeClient(sim, 'vb365');
    t.setPassword('definitely-wrong-Pa55');
    const err = await t.client.children(undefined, undefined).then(() => undefined, (e: VeeamError) => e);
    assert.equal(err?.kind, 'auth');
    assert.ok(err!.message.includes(sim.credentials.username));
    assert.ok(!err!.message.includes('definitely-wrong-Pa55'));
    t.setPassword(undefined);
    const t2 = makeClient(sim, 'vb365');
    t2.setPassword(undefined);
    const err2 = await t2.client.children(undefined, undefined).then(() => undefined, (e: VeeamError) => e);
    assert.equal(err2?.kind, 'auth');
    assert.match(err2!.message, /No password is stored/);
    await t.client.dispose(); await t2.client.dispose();
  });

  test('the request log has method, path, status and time, and no secret', async () => {
    const t = makeClient(sim, 'vb365');
    const f = await folders(t.client);
    await t.client.children(f.repos, undefined);
    assert.ok(t.log.length >= 3);
    const text = JSON.stringify(t.log);
    assert.ok(!text.includes(sim.credentials.password));
    const tokens = sim.stats.log.map((r) => /"access_token":"([^"]+)"/.exec(r.body)?.[1]).filter(Boolean);
    for (const tok of tokens) { assert.ok(!text.includes(tok!)); }
    for (const e of t.log) { assert.ok(e.method && e.path.startsWith('/') && typeof e.ms === 'number'); }
    await t.client.dispose();
  });

  test('HTTP errors carry the server\'s RESTExceptionInfo message', async () => {
    const { client } = makeClient(sim, 'vb365');
    await folders(client);
    const ghost: Entity = { key: 'jsess:x', type: 'jobSession', id: '00000000-0000-4000-8000-000000000000', name: 'ghost', hasChildren: false, actions: [], ref: {} };
    const err = await client.refresh(ghost).then(() => undefined, (e: VeeamError) => e);
    assert.equal(err?.kind, 'http');
    assert.equal(err?.status, 404);
    assert.ok(err?.extra.serverMessage && err.message.includes(err.extra.serverMessage));
    await client.dispose();
  });
});

describe('VB365 client on older API versions', () => {
  for (const v of ['v5', 'v6', 'v7'] as const) {
    test(`${v}: detects the version, reads bare arrays and syncs with the ${v === 'v5' ? '…/action' : '…/Sync'} endpoint`, async () => {
      const sim = await startSimulator({ vb365: { versions: [v], syncDurationMs: 600 } });
      try {
        const { client } = makeClient(sim, 'vb365');
        const f = await folders(client);
        const repos = await client.children(f.repos, undefined);
        assert.equal(repos.items.length, 3);
        const job = (await client.children(f.jobs, undefined)).items[0];
        const sessions = await client.children(job, undefined);
        assert.ok(sessions.items.length > 0);
        const s = await client.sync!(repos.items[0]);
        await until(() => client.refresh(s), (e) => e.status !== 'running');
        const posted = Object.keys(sim.stats.posts).filter((p) => /BackupRepositories/.test(p));
        assert.deepEqual(posted.map((p) => p.split('/').pop()), [v === 'v5' ? 'action' : 'Sync']);
        assert.ok(posted[0].startsWith(`/${v}/`));
        await client.dispose();
      } finally { await sim.close(); }
    });
  }
});
