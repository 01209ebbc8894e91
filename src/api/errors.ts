// Every failure the API layer reports is a VeeamError with a kind the UI can act on.
// Messages are written for a backup admin and never contain a secret.

export type ErrorKind =
  | 'auth'          // credentials rejected, or none stored yet
  | 'certificate'   // TLS: untrusted, changed, expired, wrong host
  | 'network'       // refused, reset, DNS, proxy
  | 'timeout'
  | 'http'          // the server answered with an error status
  | 'malformed'     // the body did not parse or had the wrong shape
  | 'cancelled'
  | 'config';       // the server definition itself is wrong

export interface CertificateInfo {
  fingerprint256: string;   // 'AB:CD:…'
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  subjectAltName?: string;
  /** Node's error code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID. */
  reason?: string;
  /** Set when a pinned certificate was replaced by another one. */
  pinnedFingerprint?: string;
}

export class VeeamError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: {
      status?: number;
      /** The server's own error text (RESTExceptionInfo.message, EM <Error Message>). */
      serverMessage?: string;
      errorCode?: string;
      certificate?: CertificateInfo;
      retryAfterSeconds?: number;
      method?: string;
      path?: string;
      cause?: unknown;
      /** The server took the request and did nothing, by design (VBR 1.3: a start of a job with nothing to process
       * answers 204, no session): a notice for the user, shown as a warning and never as a failure. */
      declined?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'VeeamError';
  }
  get status(): number | undefined { return this.extra.status; }
}

export function toVeeamError(e: unknown): VeeamError {
  if (e instanceof VeeamError) { return e; }
  const message = e instanceof Error ? e.message : String(e);
  return new VeeamError('network', message, { cause: e });
}
