// One cold start, in its own process: require the bundle and run activate(); prints JSON.
// Also counts sockets opened during activation (must be 0: no network in activate()).
import * as net from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fakeContext, installVscodeStub } from './vscode-stub';

installVscodeStub({ 'veeam.servers': [{ name: 'x', kind: 'vb365', url: 'https://127.0.0.1:1', username: 'u' }] });
let sockets = 0;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  sockets++;
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

const bundle = path.resolve(__dirname, '../../../dist/extension.js');
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ext = require(bundle) as { activate(c: unknown): unknown };
const t1 = performance.now();
ext.activate(fakeContext());
const t2 = performance.now();
setTimeout(() => {
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, totalMs: t2 - t0, sockets }));
  process.exit(0);
}, 200);
