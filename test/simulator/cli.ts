// node out/test/simulator/cli.js [--vb365-port 4443] [--em-port 9398] [--seed N] [--verbose] [--state-file PATH]
import * as fs from 'node:fs';
import * as net from 'node:net';
import { startSimulator } from './index';

function parseArgs(argv: string[]): { vb365Port: number; emPort: number; seed?: number; verbose: boolean; stateFile?: string } {
  const out = { vb365Port: 4443, emPort: 9398, seed: undefined as number | undefined, verbose: false, stateFile: undefined as string | undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--vb365-port') out.vb365Port = Number(val());
    else if (a === '--em-port') out.emPort = Number(val());
    else if (a === '--seed') out.seed = Number(val());
    else if (a === '--verbose') out.verbose = true;
    else if (a === '--state-file') out.stateFile = val();
    else if (a === '--help' || a === '-h') {
      process.stdout.write('Usage: cli.js [--vb365-port 4443] [--em-port 9398] [--seed N] [--verbose] [--state-file PATH]\n');
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const vb365Port = await freeOrAny(args.vb365Port);
  const emPort = await freeOrAny(args.emPort);
  const sim = await startSimulator({ vb365Port, emPort, seed: args.seed, verbose: args.verbose });
  const note = (want: number, got: number): string => (want === got || want === 0 ? '' : ` (port ${want} was taken)`);
  process.stdout.write([
    'Veeam simulator running',
    `  VB365:       ${sim.vb365.url}${note(args.vb365Port, sim.vb365.port)}`,
    `  EM:          ${sim.em.url}${note(args.emPort, sim.em.port)}`,
    `  Certificate: SHA-256 ${sim.certificate.fingerprint256}`,
    `  Username:    ${sim.credentials.username}`,
    `  Password:    ${sim.credentials.password}`,
    'Press Ctrl+C to stop.', '',
  ].join('\n'));
  if (args.stateFile) {
    fs.writeFileSync(args.stateFile, JSON.stringify({
      vb365Url: sim.vb365.url, emUrl: sim.em.url, fingerprint256: sim.certificate.fingerprint256,
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
