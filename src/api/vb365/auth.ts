// VB365 bearer tokens: password login, renewal with the refresh token shortly before
// expiry or after a 401 (one renewal in flight however many requests wait), fallback to
// the password, and logout. Tokens live in memory only. The renewal runs on the client's
// own signal; a caller's signal only ends that caller's wait (waitFor).
import { Credentials } from '../model';
import { VeeamError } from '../errors';
import { Transport } from '../http/transport';
import { htmlError, parseJson } from '../http/body';
import { waitFor } from '../http/wait';

export interface Token {
  access: string;
  refresh?: string;
  expiresAt: number;
  /** Renew this long before expiry: 30 s, or a tenth of a short lifetime. */
  margin: number;
}

export class Vb365Auth {
  private token?: Token;
  private inflight?: Promise<Token>;

  constructor(
    private readonly transport: Transport,
    private readonly username: string,
    private readonly credentials: Credentials,
    private readonly version: () => Promise<number>,
    /** The client's own signal (aborted on dispose): renewals run on it. */
    private readonly ownSignal: AbortSignal,
  ) {}

  /** A valid access token, renewing first when it is about to expire. */
  async bearer(signal?: AbortSignal): Promise<Token> {
    const t = this.token;
    if (t && t.expiresAt - t.margin > Date.now()) { return t; }
    return this.renew(t, signal);
  }

  /**
   * Renew after `stale` was rejected. Concurrent callers share one renewal; a caller whose
   * token was already replaced gets the new one without another round trip.
   */
  async renew(stale: Token | undefined, signal?: AbortSignal): Promise<Token> {
    if (this.token && this.token !== stale && this.token.expiresAt - this.token.margin > Date.now()) { return this.token; }
    this.inflight ??= this.obtain(stale).finally(() => { this.inflight = undefined; });
    return waitFor(this.inflight, signal);
  }

  private async obtain(stale: Token | undefined): Promise<Token> {
    if (stale?.refresh) {
      try {
        this.token = await this.grant({ grant_type: 'refresh_token', refresh_token: stale.refresh });
        return this.token;
      } catch (e) {
        if ((e as VeeamError).kind === 'cancelled') { throw e; }
        // A rejected or expired refresh token: fall back to the password.
      }
    }
    const password = await this.credentials.password();
    if (password === undefined) {
      throw new VeeamError('auth', `No password is stored for ${this.username}.`);
    }
    this.token = await this.grant({ grant_type: 'password', username: this.username, password });
    return this.token;
  }

  private async grant(fields: Record<string, string>): Promise<Token> {
    const v = await this.version();
    const form = new URLSearchParams(fields);
    if (v >= 7) { form.set('disable_antiforgery_token', 'true'); }
    const path = `/v${v}/Token`;
    const res = await this.transport.request({
      method: 'POST', path, signal: this.ownSignal, body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
    if (res.status < 200 || res.status >= 300) {
      const html = htmlError(res, path);
      if (html) { throw html; }
      let serverMessage: string | undefined;
      try {
        const b = parseJson<Record<string, unknown>>(res, path);
        serverMessage = String(b.message ?? b.error_description ?? b.error ?? '') || undefined;
      } catch { /* no usable body */ }
      const rejected = res.status === 400 || res.status === 401 || res.status === 403;
      const said = serverMessage ? `: ${serverMessage.replace(/[.\s]+$/, '')}` : '';
      throw new VeeamError(rejected ? 'auth' : 'http',
        rejected ? `Authentication failed for ${this.username}${said}.` : `Login failed with HTTP ${res.status}${said}.`,
        { status: res.status, serverMessage, path });
    }
    const b = parseJson<Record<string, unknown>>(res, path);
    if (typeof b.access_token !== 'string' || !b.access_token) {
      throw new VeeamError('malformed', `The login answer from ${path} has no access_token.`, { path });
    }
    const n = Number(b.expires_in);
    const lifetimeMs = (Number.isFinite(n) && n > 0 ? n : 3600) * 1000;
    return {
      access: b.access_token,
      refresh: typeof b.refresh_token === 'string' ? b.refresh_token : undefined,
      expiresAt: Date.now() + lifetimeMs,
      margin: Math.min(30_000, lifetimeMs / 10),
    };
  }

  /** Best-effort logout where the version has one (v7+); forgets the token either way. */
  async logout(): Promise<void> {
    const t = this.token;
    this.token = undefined;
    if (!t) { return; }
    try {
      const v = await this.version();
      if (v < 7) { return; }
      await this.transport.request({
        method: 'POST', path: `/v${v}/Token/logout`,
        headers: { authorization: `Bearer ${t.access}` },
        signal: AbortSignal.timeout(3000),
      });
    } catch { /* the server may be gone; the token expires by itself */ }
  }
}
