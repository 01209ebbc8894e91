// VBR bearer tokens (POST /api/oauth2/token, form-encoded): password logon, renewal shortly before
// `expires_in` or after a 401, logout. The refresh token is single-use and rotates, so exactly one
// renewal runs per server however many requests wait for it; it runs on the client's own signal
// (one caller giving up must not abort a refresh the server may already have consumed), and a
// rejected refresh falls back to the password. Tokens live in memory only and are never logged.
import type { Credentials } from '../model';
import { VeeamError } from '../errors';
import type { Transport } from '../http/transport';
import { htmlError, parseJson, stripBom } from '../http/body';
import { waitFor } from './revision';

export const TOKEN_PATH = '/api/oauth2/token';
export const LOGOUT_PATH = '/api/oauth2/logout';

export interface Token {
  access: string;
  refresh?: string;
  expiresAt: number;
  /** Renew this long before expiry: 30 s, or a tenth of a short lifetime. */
  margin: number;
}

export class VbrAuth {
  private token?: Token;
  private inflight?: Promise<Token>;

  constructor(
    private readonly transport: Transport,
    private readonly username: string,
    private readonly host: string,
    private readonly credentials: Credentials,
    /** The revision to send in x-api-version (detected first). */
    private readonly revision: (signal?: AbortSignal) => Promise<string>,
    /** The client's own signal: aborted when the client is disposed. */
    private readonly lifetime: AbortSignal,
  ) {}

  /** A valid access token, renewing first when it is about to expire. */
  async bearer(signal?: AbortSignal): Promise<Token> {
    const t = this.token;
    if (t && fresh(t)) { return t; }
    return this.renew(t, signal);
  }

  /**
   * Renew after `stale` was rejected (or ran out). Concurrent callers share one renewal; a
   * caller whose token was already replaced gets the new one without another round trip.
   */
  renew(stale: Token | undefined, signal?: AbortSignal): Promise<Token> {
    if (this.token && this.token !== stale && fresh(this.token)) { return Promise.resolve(this.token); }
    if (!this.inflight) {
      const p = this.obtain(stale?.refresh ?? this.token?.refresh);
      this.inflight = p;
      p.then(() => { this.inflight = undefined; }, () => { this.inflight = undefined; });
    }
    return waitFor(this.inflight, signal);
  }

  current(): Token | undefined { return this.token; }

  private async obtain(refresh: string | undefined): Promise<Token> {
    if (refresh) {
      try {
        this.token = await this.grant({ grant_type: 'refresh_token', refresh_token: refresh });
        return this.token;
      } catch (e) {
        if ((e as VeeamError).kind === 'cancelled') { throw e; }
        // Rejected, expired or already used: the password logs on again.
      }
    }
    this.token = undefined;
    const password = await this.credentials.password();
    if (password === undefined) {
      throw new VeeamError('auth', `No password is stored for ${this.username} on ${this.host}.`);
    }
    this.token = await this.grant({ grant_type: 'password', username: this.username, password });
    return this.token;
  }

  private async grant(fields: Record<string, string>): Promise<Token> {
    const v = await this.revision(this.lifetime);
    const res = await this.transport.request({
      method: 'POST', path: TOKEN_PATH, signal: this.lifetime, body: new URLSearchParams(fields).toString(),
      headers: { 'x-api-version': v, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
    if (res.status < 200 || res.status >= 300) {
      const html = htmlError(res, TOKEN_PATH);
      if (html) { throw html; }
      let serverMessage: string | undefined; let errorCode: string | undefined;
      try {
        const b = JSON.parse(stripBom(res.text)) as Record<string, unknown>;
        serverMessage = String(b.message ?? b.error_description ?? b.error ?? '') || undefined;
        errorCode = typeof b.errorCode === 'string' ? b.errorCode : undefined;
      } catch { /* no usable body */ }
      const rejected = res.status === 400 || res.status === 401 || res.status === 403;
      const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : '';
      const mfa = serverMessage && /\bmfa\b|multi-?factor|one-time|otp/i.test(serverMessage)
        ? ' Multi-factor authentication is on for this account: use a service account (MFA does not apply to it).' : '';
      throw new VeeamError(rejected ? 'auth' : 'http',
        rejected ? `${this.host} rejected the logon of ${this.username}${said}.${mfa}` : `Logon to ${this.host} failed with HTTP ${res.status}${said}.`,
        { status: res.status, serverMessage, errorCode, method: 'POST', path: TOKEN_PATH });
    }
    const b = parseJson<Record<string, unknown>>(res, TOKEN_PATH);
    if (typeof b.access_token !== 'string' || !b.access_token) {
      throw new VeeamError('malformed', `The logon answer of ${this.host} has no access_token.`, { path: TOKEN_PATH });
    }
    const n = Number(b.expires_in);
    const lifetimeMs = (Number.isFinite(n) && n > 0 ? n : 900) * 1000;
    return {
      access: b.access_token,
      refresh: typeof b.refresh_token === 'string' && b.refresh_token ? b.refresh_token : undefined,
      expiresAt: Date.now() + lifetimeMs,
      margin: Math.min(30_000, lifetimeMs / 10),
    };
  }

  /** Best-effort logout (both tokens become invalid on the server); forgets the tokens either way. */
  async logout(revision: string | undefined): Promise<void> {
    const t = this.token;
    this.token = undefined;
    if (!t || !revision) { return; }
    try {
      await this.transport.request({
        method: 'POST', path: LOGOUT_PATH, signal: AbortSignal.timeout(3000),
        headers: { authorization: `Bearer ${t.access}`, 'x-api-version': revision, accept: 'application/json' },
      });
    } catch { /* the server may be gone; the tokens expire by themselves */ }
  }
}

function fresh(t: Token): boolean { return t.expiresAt - t.margin > Date.now(); }
