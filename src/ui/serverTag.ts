// How document URIs (veeam:, veeam-log:) name things. A server's short tag: 8 hex digits of the SHA-256 of its key,
// so a URI names no host or user. node:crypto is required on first use: the core loads no TLS or crypto module at start.
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

export function serverTag(serverKey: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(serverKey).digest('hex').slice(0, 8);
}

/** A name as one segment of a document URI's path, which the tab shows: separators and characters URIs or file
 *  names treat specially become '_' (a time's ':' stays), at most 80 characters. */
export function pathPart(name: string): string {
  return name.replace(/[\\/*?"<>|#%]+/g, '_').slice(0, 80);
}
