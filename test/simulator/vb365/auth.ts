// OAuth-style tokens for POST /vN/token. Tokens are random; their lifetimes come from Vb365Options.
import * as crypto from 'node:crypto';

export interface TokenGrant {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  expires_in: number;
  userName: string;
  '.issued': string;
  '.expires': string;
}

export type TokenResult = { ok: true; grant: TokenGrant } | { ok: false; status: number; message: string };

export interface TokenRequest { [k: string]: string | undefined }

export class TokenStore {
  private readonly access = new Map<string, number>();   // token → expiry (ms)
  private readonly refresh = new Map<string, number>();
  constructor(
    private readonly username: string, private readonly password: string,
    private readonly accessLifetimeS: number, private readonly refreshLifetimeS: number,
  ) {}

  /** Parses a form-urlencoded or JSON body; returns undefined when it is neither. */
  static parseBody(body: string, contentType: string | undefined): TokenRequest | undefined {
    if ((contentType ?? '').includes('json') || body.trimStart().startsWith('{')) {
      try {
        const o: unknown = JSON.parse(body);
        if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
        const out: TokenRequest = {};
        for (const [k, v] of Object.entries(o)) out[k] = v === null || v === undefined ? undefined : String(v);
        return out;
      } catch {
        return undefined;
      }
    }
    return Object.fromEntries(new URLSearchParams(body));
  }

  grant(req: TokenRequest, version: number, now: number): TokenResult {
    if (version >= 7 && req.disable_antiforgery_token?.toLowerCase() !== 'true') {
      return { ok: false, status: 400, message: 'The required antiforgery cookie "__RequestVerificationToken" is not present. Send disable_antiforgery_token=true to authenticate without an antiforgery token.' };
    }
    switch (req.grant_type) {
      case 'password':
        if (req.username !== this.username || req.password !== this.password) {
          return { ok: false, status: 400, message: 'Invalid username or password.' };
        }
        return { ok: true, grant: this.issue(now) };
      case 'refresh_token': {
        const rt = req.refresh_token ?? '';
        const exp = this.refresh.get(rt);
        if (exp === undefined || exp <= now) {
          this.refresh.delete(rt);
          return { ok: false, status: 400, message: 'Invalid or expired refresh token.' };
        }
        this.refresh.delete(rt); // rotation: a refresh token works once
        return { ok: true, grant: this.issue(now) };
      }
      case undefined:
      case '':
        return { ok: false, status: 400, message: 'The grant_type parameter is required.' };
      default:
        return { ok: false, status: 400, message: `Unsupported grant type: ${req.grant_type}.` };
    }
  }

  private issue(now: number): TokenGrant {
    const access = crypto.randomBytes(48).toString('base64url');
    const refresh = crypto.randomBytes(32).toString('hex');
    this.access.set(access, now + this.accessLifetimeS * 1000);
    this.refresh.set(refresh, now + this.refreshLifetimeS * 1000);
    return {
      access_token: access, refresh_token: refresh, token_type: 'bearer', expires_in: this.accessLifetimeS,
      userName: this.username, '.issued': new Date(now).toISOString(), '.expires': new Date(now + this.accessLifetimeS * 1000).toISOString(),
    };
  }

  /** The bearer token of a request, if it is valid now. */
  check(authorization: string | undefined, now: number): string | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const exp = this.access.get(m[1]);
    if (exp === undefined) return undefined;
    if (exp <= now) { this.access.delete(m[1]); return undefined; }
    return m[1];
  }

  logout(token: string): void { this.access.delete(token); }
  expireAccess(): void { this.access.clear(); }
  expireRefresh(): void { this.refresh.clear(); }
}
