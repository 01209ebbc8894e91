// The short tag of a server in document URIs (veeam:, veeam-log:): 8 hex digits of the SHA-256 of its key, so a
// URI names no host or user. node:crypto is required on first use: the core loads no TLS or crypto module at start.
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

export function serverTag(serverKey: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(serverKey).digest('hex').slice(0, 8);
}
