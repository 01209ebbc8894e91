// Certificate trust per server: a pinned SHA-256 fingerprint, a CA file, or the
// system store (which includes NODE_EXTRA_CA_CERTS). Options are applied to each
// request, never to a shared agent only (VS Code's network patching drops those)
// and never process-wide.
import type * as tls from 'node:tls';
import { CertificateInfo, VeeamError } from '../errors';

/** node:tls, required on first use (the core bundles this file for its fingerprint texts and loads no TLS at start). */
let tlsLib: typeof tls | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = (): typeof tls => (tlsLib ??= require('node:tls') as typeof tls);

export interface TrustOptions {
  trustedFingerprint?: string;
  caPem?: string;
}

/** 'ab:cd…', 'ABCD…' and 'AB CD …' all compare equal. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

export function formatFingerprint(fp: string): string {
  return normalizeFingerprint(fp).replace(/(..)(?!$)/g, '$1:');
}

/** TLS errors that mean "the chain or name did not verify", as opposed to network errors. */
const CERT_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_REVOKED',
]);

export function isCertificateErrorCode(code: string | undefined): boolean {
  return !!code && CERT_ERROR_CODES.has(code);
}

export function describeCertReason(code: string | undefined): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'The server presents a self-signed certificate that this machine does not trust.';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'CERT_UNTRUSTED':
      return 'The server certificate was issued by a certificate authority this machine does not trust.';
    case 'CERT_HAS_EXPIRED':
      return 'The server certificate has expired.';
    case 'CERT_NOT_YET_VALID':
      return 'The server certificate is not valid yet (check the clocks).';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'The server certificate was issued for a different host name.';
    case 'PINNED_CERT_CHANGED':
      return 'The server certificate changed since you trusted it.';
    default:
      return `The server certificate was rejected (${code ?? 'unknown reason'}).`;
  }
}

/** describeCertReason with what the certificate itself says (names, dates, issuer), for the error message. */
export function describeCertificateProblem(code: string | undefined, cert: CertificateInfo | undefined, hostname: string): string {
  const base = describeCertReason(code);
  if (!cert) { return base; }
  const cn = (dn: string) => /(?:^|, )CN=([^,]+)/.exec(dn)?.[1] ?? dn;
  const detail: Record<string, string> = {
    ERR_TLS_CERT_ALTNAME_INVALID: `it names ${cert.subjectAltName || cn(cert.subject)}, not ${hostname}`,
    CERT_HAS_EXPIRED: `valid until ${cert.validTo}`,
    CERT_NOT_YET_VALID: `valid from ${cert.validFrom}`,
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: `issuer: ${cn(cert.issuer)}`,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `issuer: ${cn(cert.issuer)}`,
    UNABLE_TO_GET_ISSUER_CERT: `issuer: ${cn(cert.issuer)}`,
    CERT_UNTRUSTED: `issuer: ${cn(cert.issuer)}`,
  };
  const d = detail[code ?? ''];
  return d ? `${base.replace(/\.$/, '')} (${d}).` : base;
}

export function certificateInfo(cert: tls.PeerCertificate, reason?: string): CertificateInfo {
  const name = (o: tls.Certificate | undefined) =>
    o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';
  return {
    fingerprint256: cert.fingerprint256,
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    subjectAltName: cert.subjectaltname,
    reason,
  };
}

/** Per-request TLS options for https.request. */
export function requestTlsOptions(trust: TrustOptions): tls.ConnectionOptions {
  if (trust.trustedFingerprint) {
    // Chain checks are replaced by the exact-certificate check in pinSocket,
    // which runs before any request byte is written.
    // `session: undefined` (an own property) beats any agent's cached TLS session: VS Code may swap
    // in https.globalAgent, and a resumed session carries no certificate to check the pin against.
    return { rejectUnauthorized: false, session: undefined };
  }
  if (trust.caPem) {
    return { rejectUnauthorized: true, ca: [...lib().rootCertificates, trust.caPem] };
  }
  return { rejectUnauthorized: true };
}

/** Sockets that passed the check, with the fingerprint they passed for. */
const pinnedSockets = new WeakMap<tls.TLSSocket, string>();

/**
 * Enforce a pinned fingerprint on a TLS socket. Called from the request's 'socket' event,
 * which runs before the request is flushed: a mismatching socket is destroyed first.
 */
export function pinSocket(socket: tls.TLSSocket, pinned: string, onMismatch: (err: VeeamError) => void): void {
  // A socket's peer certificate cannot change once it is connected: a kept-alive socket that passed is not
  // checked again (getPeerCertificate() builds the whole certificate object, a tenth of a millisecond a call).
  if (pinnedSockets.get(socket) === pinned) { return; }
  const check = () => {
    const cert = socket.getPeerCertificate();
    if (!cert || !cert.fingerprint256) {
      fail(new VeeamError('certificate', 'The server sent no certificate.'));
      return;
    }
    if (normalizeFingerprint(cert.fingerprint256) !== normalizeFingerprint(pinned)) {
      const info = { ...certificateInfo(cert, 'PINNED_CERT_CHANGED'), pinnedFingerprint: formatFingerprint(pinned) };
      fail(new VeeamError('certificate',
        `The server certificate changed since you trusted it (trusted ${info.pinnedFingerprint}, now ${info.fingerprint256}).`,
        { certificate: info }));
      return;
    }
    pinnedSockets.set(socket, pinned);
  };
  const fail = (err: VeeamError) => { onMismatch(err); socket.destroy(err); };
  if (socket.encrypted && !socket.connecting && socket.getPeerCertificate()?.fingerprint256) {
    check();
  } else {
    socket.once('secureConnect', check);
  }
}

/** Read the server's certificate without sending any HTTP (for the trust prompt). */
export function probeCertificate(url: string, timeoutMs = 10000): Promise<CertificateInfo> {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  return new Promise((resolve, reject) => {
    const socket = lib().connect({
      host, port, rejectUnauthorized: false,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
    });
    const timer = setTimeout(() => { socket.destroy(); reject(new VeeamError('timeout', `No TLS answer from ${u.host} within ${timeoutMs / 1000} s.`)); }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      const reason = socket.authorizationError ? String((socket.authorizationError as unknown as { code?: string }).code ?? socket.authorizationError) : undefined;
      socket.end();
      resolve(certificateInfo(cert, reason));
    });
    socket.once('error', (e) => { clearTimeout(timer); reject(new VeeamError('network', `Cannot reach ${u.host}: ${e.message}`, { cause: e })); });
  });
}
