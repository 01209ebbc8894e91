// A bare HTTP listener around the EM app, for app-level tests that do not need the core's TLS,
// latency or faults.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmOptions } from '../types';
import { EmApp, createEmApp } from './index';

export interface EmHarness { url: string; app: EmApp; close(): Promise<void> }

export async function startEmHarness(opts: EmOptions = {}, seed = 42): Promise<EmHarness> {
  let url = '';
  const app = createEmApp(opts, { seed, baseUrl: () => url });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => { void app.handle(req, res, Buffer.concat(chunks).toString('utf8')); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, app,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
