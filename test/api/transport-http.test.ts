// The transport on its own over plain HTTP (the dev/test case), against tiny local servers:
// GET and POST work, retries (GET only, bounded, exponential), Retry-After in seconds and as a
// date with its cap, cancellation that really closes the socket, refused connections, and the
// request log (attempt numbers, no headers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type * as net from 'node:net';
import { Transport } from '../../src/api/http/transport';
import { retryAfter } from '../../src/api/http/body';
import type { RequestLogEntry } from '../../src/api/model';
import { VeeamError } from '../../src/api/errors';

interface Hit { method: string; url: string; at: number }

describe('transport over plain HTTP', () => {
  let server: http.Server;
  let base: string;
  const hits: Hit[] = [];
  const closed: number[] = [];
  const sockets = new Set<net.Socket>();
  let next: (req: http.IncomingMessage, res: http.ServerResponse) => void = () => undefined;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        hits.push({ method: req.method!, url: req.url!, at: Date.now() });
        if (req.url === '/echo') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
          return;
        }
        next(req, res);
      });
    });
    server.on('connection', (s: net.Socket) => { sockets.add(s); s.once('close', () => { sockets.delete(s); closed.push(Date.now()); }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) { s.destroy(); }
    await new Promise<void>((r) => server.close(() => r()));
  });

  const make = (log: RequestLogEntry[] = [], extra: Partial<ConstructorParameters<typeof Transport>[0]> = {}) =>
    new Transport({ baseUrl: base, timeoutMs: 800, connectTimeoutMs: 500, log: (e) => log.push(e), backoffMs: 100, ...extra });
  const reset = () => { hits.length = 0; closed.length = 0; };

  async function failure(p: Promise<unknown>, kind: VeeamError['kind'], re?: RegExp): Promise<VeeamError> {
    try { await p; } catch (e) {
      assert.ok(e instanceof VeeamError, String(e));
      assert.equal(e.kind, kind, e.message);
      if (re) { assert.match(e.message, re); }
      return e;
    }
    assert.fail(`expected ${kind}`);
  }

  test('GET and POST work over http:// (no TLS options get in the way); the log has no headers', async () => {
    reset();
    const log: RequestLogEntry[] = [];
    const t = make(log);
    const g = await t.request({ method: 'GET', path: '/echo', headers: { authorization: 'Bearer s3cr3t-token' } });
    assert.equal(g.status, 200);
    assert.deepEqual(JSON.parse(g.text), { method: 'GET', body: '', auth: 'Bearer s3cr3t-token' });
    const p = await t.request({ method: 'POST', path: `${base}/echo`, body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(JSON.parse(p.text).body, 'a=1');
    assert.deepEqual(log.map((e) => [e.method, e.path, e.status]), [['GET', '/echo', 200], ['POST', '/echo', 200]]);
    assert.ok(!JSON.stringify(log).includes('s3cr3t'));
    await failure(t.request({ method: 'GET', path: 'http://elsewhere.example/echo' }), 'malformed', /another host \(elsewhere\.example\)/);
    t.dispose();
  });

  test('a reset GET is retried twice with exponential back-off, a reset POST never; attempts are logged', async () => {
    reset();
    next = (req) => { req.socket.destroy(); };
    const log: RequestLogEntry[] = [];
    const t = make(log);
    await failure(t.request({ method: 'GET', path: '/reset' }), 'network', /closed the connection unexpectedly\.$/);
    assert.equal(hits.length, 3);
    const gaps = [hits[1].at - hits[0].at, hits[2].at - hits[1].at];
    assert.ok(gaps[0] >= 90 && gaps[1] >= 190, `gaps ${gaps}`);
    assert.deepEqual(log.map((e) => e.attempt), [undefined, 2, 3]);
    assert.ok(log.every((e) => /closed the connection/.test(e.error ?? '')));
    reset();
    await failure(t.request({ method: 'POST', path: '/reset', body: '{}', action: 'the test action' }), 'network',
      /closed the connection unexpectedly\. Whether the test action started is unknown \(it was not repeated\)/);
    assert.equal(hits.length, 1);
    const plain = await failure(t.request({ method: 'POST', path: '/reset', body: 'grant_type=password' }), 'network');
    assert.doesNotMatch(plain.message, /Whether/, 'a POST without an action (a login) gets no such note');
    assert.equal(hits.length, 2);
    t.dispose();
  });

  test('Retry-After: seconds and HTTP dates are honoured; above the cap the answer comes back at once', async () => {
    assert.equal(retryAfter({ status: 429, headers: { 'retry-after': '3' }, text: '' }), 3);
    assert.equal(retryAfter({ status: 429, headers: { 'retry-after': 'soon' }, text: '' }), undefined);
    const d = retryAfter({ status: 503, headers: { 'retry-after': new Date(Date.now() + 5000).toUTCString() }, text: '' })!;
    assert.ok(d > 3 && d <= 5, String(d));
    reset();
    let n = 0;
    next = (_req, res) => {
      if (n++ === 0) { res.writeHead(503, { 'retry-after': new Date(Date.now() + 1000).toUTCString() }); res.end(); return; }
      res.writeHead(200); res.end('ok');
    };
    const t = make();
    const r = await t.request({ method: 'GET', path: '/date' });
    assert.equal(r.text, 'ok');
    const waited = hits[1].at - hits[0].at;
    assert.ok(waited >= 0 && waited <= 1600, `waited ${waited} ms for an HTTP-date one second ahead`);
    reset();
    next = (_req, res) => { res.writeHead(429, { 'retry-after': '3' }); res.end(); };
    const capped = make([], { maxRetryAfterSeconds: 2 });
    const started = Date.now();
    const r2 = await capped.request({ method: 'GET', path: '/busy' });
    assert.equal(r2.status, 429);
    assert.ok(Date.now() - started < 300);
    assert.equal(hits.length, 1);
    reset();
    const p = await capped.request({ method: 'POST', path: '/busy' });
    assert.equal(p.status, 429, 'a POST gets the 429 back, never a second try');
    assert.equal(hits.length, 1);
    t.dispose(); capped.dispose();
  });

  test('a response timeout is reported once, not retried; the connection is closed', async () => {
    reset();
    next = () => undefined;   // never answers
    const t = make();
    const started = Date.now();
    await failure(t.request({ method: 'GET', path: '/slow' }), 'timeout', /^127\.0\.0\.1:\d+ did not answer within 0\.8 s\.$/);
    assert.ok(Date.now() - started < 1200);
    assert.equal(hits.length, 1);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closed.length, 1, 'the timed-out socket is destroyed');
    t.dispose();
  });

  test('cancelling an in-flight GET destroys its socket at once; an already aborted signal sends nothing', async () => {
    reset();
    next = () => undefined;
    const t = make([], { timeoutMs: 5000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const err = await failure(t.request({ method: 'GET', path: '/hang', signal: ac.signal }), 'cancelled', /^Cancelled\.$/);
    assert.equal(err.extra.path, '/hang');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closed.length, 1, 'the server saw the connection close');
    assert.ok(closed[0] - started < 300, `closed after ${closed[0] - started} ms`);
    assert.equal(hits.length, 1, 'not retried');
    reset();
    await failure(t.request({ method: 'GET', path: '/hang', signal: AbortSignal.abort() }), 'cancelled');
    assert.equal(hits.length, 0);
    t.dispose();
  });

  test('refused connections: GET retried then "refused the connection"; a refused POST was never sent, so no warning', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as net.AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const log: RequestLogEntry[] = [];
    const t = new Transport({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 800, connectTimeoutMs: 500, log: (e) => log.push(e), backoffMs: 50 });
    await failure(t.request({ method: 'GET', path: '/' }), 'network',
      new RegExp(`^127\\.0\\.0\\.1:${port} refused the connection\\. Is the Veeam service running and the port right\\?$`));
    assert.equal(log.length, 3);
    const e = await failure(t.request({ method: 'POST', path: '/' }), 'network', /refused the connection/);
    assert.doesNotMatch(e.message, /not repeated/);
    assert.equal(log.length, 4);
    t.dispose();
  });
});
