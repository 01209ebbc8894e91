// node out/test/simulator/cli.js [--vb365-port 4443] [--em-port 9398] [--vbr-port 9419] [--seed N] [--verbose] [--state-file PATH] [--secrets-file PATH]
//   --state-file    JSON with the URLs (vb365Url, emUrl, vbrUrl), certificate fingerprint and credentials, written once when listening.
//   --secrets-file  JSON {"secrets":[{"kind","value"}]} of every secret the simulator received or handed out:
//                   passwords (also wrong ones), Basic credentials, VB365 and VBR access and refresh tokens, EM
//                   X-RestSvcSessionId values and logon SessionIds. Rewritten (atomically) whenever a new one
//                   appears, so nothing is lost when the process is killed. For leak scans (test/e2e/secret-scan.mjs).
import * as fs from 'node:fs';
import * as net from 'node:net';
import { startSimulator, type RequestRecord } from './index';

interface Args { vb365Port: number; emPort: number; vbrPort: number; seed?: number; verbose: boolean; stateFile?: string; secretsFile?: string }

function parseArgs(argv: string[]): Args {
  const out: Args = { vb365Port: 4443, emPort: 9398, vbrPort: 9419, seed: undefined, verbose: false, stateFile: undefined, secretsFile: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--vb365-port') out.vb365Port = Number(val());
    else if (a === '--em-port') out.emPort = Number(val());
    else if (a === '--vbr-port') out.vbrPort = Number(val());
    else if (a === '--seed') out.seed = Number(val());
    else if (a === '--verbose') out.verbose = true;
    else if (a === '--state-file') out.stateFile = val();
    else if (a === '--secrets-file') out.secretsFile = val();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('Usage: cli.js [--vb365-port 4443] [--em-port 9398] [--vbr-port 9419] [--seed N] [--verbose] [--state-file PATH] [--secrets-file PATH]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

/** The wanted port if it is free on 127.0.0.1, else 0 (any free port). */
function freeOrAny(port: number): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(0));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(port)));
  });
}

type SecretKind = 'password' | 'basic-credentials' | 'vb365-access-token' | 'vb365-refresh-token'
  | 'vbr-access-token' | 'vbr-refresh-token' | 'em-session-token' | 'em-logon-session-id';

/** Every secret in one request/response pair (request headers and body; for POSTs also the response). */
function secretsOf(r: RequestRecord): [SecretKind, string][] {
  const out: [SecretKind, string][] = [];
  const vbr = r.server === 'vbr';
  const header = (h: Record<string, unknown> | undefined, name: string): string[] => {
    const v = h?.[name];
    return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
  };
  for (const auth of header(r.headers, 'authorization')) {
    const basic = /^Basic\s+(\S+)$/i.exec(auth)?.[1];
    if (basic) {
      out.push(['basic-credentials', basic]);
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      if (decoded.includes(':')) out.push(['password', decoded.slice(decoded.indexOf(':') + 1)]);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (bearer) out.push([vbr ? 'vbr-access-token' : 'vb365-access-token', bearer]);
  }
  // VB365 POST /vN/token and VBR POST /api/oauth2/token: form (or JSON) request with password or refresh_token; JSON grant in the response.
  if (/\/token(\?|$)/i.test(r.path)) {
    let req: Record<string, unknown> = {};
    try { req = r.body.trimStart().startsWith('{') ? JSON.parse(r.body) as Record<string, unknown> : Object.fromEntries(new URLSearchParams(r.body)); } catch { /* not parseable */ }
    if (typeof req.password === 'string' && req.password) out.push(['password', req.password]);
    if (typeof req.refresh_token === 'string' && req.refresh_token) out.push([vbr ? 'vbr-refresh-token' : 'vb365-refresh-token', req.refresh_token]);
    try {
      const grant = JSON.parse(r.responseBody ?? '') as Record<string, unknown>;
      if (typeof grant.access_token === 'string') out.push([vbr ? 'vbr-access-token' : 'vb365-access-token', grant.access_token]);
      if (typeof grant.refresh_token === 'string') out.push([vbr ? 'vbr-refresh-token' : 'vb365-refresh-token', grant.refresh_token]);
    } catch { /* not a grant */ }
  }
  // EM: the session token in request/response headers and cookies, the logon SessionId in paths, Location and bodies.
  for (const v of [...header(r.headers, 'x-restsvcsessionid'), ...header(r.responseHeaders, 'x-restsvcsessionid')]) out.push(['em-session-token', v]);
  for (const c of [...header(r.headers, 'cookie'), ...header(r.responseHeaders, 'set-cookie')]) {
    const m = /X-RestSvcSessionId=([^;\s]+)/.exec(c)?.[1];
    if (m) out.push(['em-session-token', decodeURIComponent(m)]);
  }
  const logonId = /logonSessions\/([0-9a-f-]{36})/i;
  for (const s of [r.path, ...header(r.responseHeaders, 'location')]) {
    const m = logonId.exec(s)?.[1];
    if (m) out.push(['em-logon-session-id', m]);
  }
  for (const m of (r.responseBody ?? '').matchAll(/<SessionId>([^<]+)<\/SessionId>|"SessionId"\s*:\s*"([^"]+)"/g)) out.push(['em-logon-session-id', m[1] ?? m[2]]);
  return out.filter(([, v]) => v.length >= 6);
}

/** Keeps `file` = every secret seen so far (written to a temp file, then renamed). */
function secretsKeeper(file: string): (kind: SecretKind, value: string) => void {
  const seen = new Map<string, SecretKind>();
  const write = (): void => {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ secrets: [...seen].map(([value, kind]) => ({ kind, value })) }, null, 1) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, file);
  };
  write();
  return (kind, value) => {
    if (seen.has(value)) return;
    seen.set(value, kind);
    write();
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const vb365Port = await freeOrAny(args.vb365Port);
  const emPort = await freeOrAny(args.emPort);
  const vbrPort = await freeOrAny(args.vbrPort);
  const keep = args.secretsFile ? secretsKeeper(args.secretsFile) : undefined;
  const onRequestDone = keep ? (r: RequestRecord): void => {
    try { for (const [k, v] of secretsOf(r)) keep(k, v); } catch (e) { process.stderr.write(`simulator: secrets file: ${String(e)}\n`); }
  } : undefined;
  const sim = await startSimulator({ vb365Port, emPort, vbrPort, seed: args.seed, verbose: args.verbose, onRequestDone });
  if (keep) {
    keep('password', sim.credentials.password);
    keep('basic-credentials', Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString('base64'));
  }
  const note = (want: number, got: number): string => (want === got || want === 0 ? '' : ` (port ${want} was taken)`);
  process.stdout.write([
    'Veeam simulator running',
    `  VB365:       ${sim.vb365.url}${note(args.vb365Port, sim.vb365.port)}`,
    `  EM:          ${sim.em.url}${note(args.emPort, sim.em.port)}`,
    `  VBR:         ${sim.vbr.url}${note(args.vbrPort, sim.vbr.port)}`,
    `  Certificate: SHA-256 ${sim.certificate.fingerprint256}`,
    `  Username:    ${sim.credentials.username}`,
    `  Password:    ${sim.credentials.password}`,
    'Press Ctrl+C to stop.', '',
  ].join('\n'));
  if (args.stateFile) {
    fs.writeFileSync(args.stateFile, JSON.stringify({
      vb365Url: sim.vb365.url, emUrl: sim.em.url, vbrUrl: sim.vbr.url, fingerprint256: sim.certificate.fingerprint256,
      username: sim.credentials.username, password: sim.credentials.password,
    }, null, 2) + '\n');
  }
  const shutdown = (): void => {
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
