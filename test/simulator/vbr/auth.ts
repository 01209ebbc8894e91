// POST /api/oauth2/token and the bearer check. Tokens are JWT-shaped (as VBR's are) with random signatures.
// Refresh tokens are single-use: each refresh returns a new pair and the old refresh token is dead (reuse → 400).
// Logout kills the access token and the refresh token of its chain.
import * as crypto from 'node:crypto';
import type { VbrTokenState } from '../types';

export type Role = 'admin' | 'readonly';

/** Claims the read-only account lacks (operations that change state). */
export const ACTION_CLAIMS = ['StartJobs', 'StopJobs', 'EnableJobs', 'DisableJobs', 'StopSessions'] as const;

export interface Principal { user: string; role: Role; chain: number }

export type GrantResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; errorCode: string; message: string };

interface Live { principal: Principal; expires: number }

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

function jwt(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'RS512', kid: 'SIMULATOR', typ: 'JWT' })}.${b64(payload)}.${crypto.randomBytes(64).toString('base64url')}`;
}

export class VbrTokens {
  private readonly access = new Map<string, Live>();
  private readonly refresh = new Map<string, Live & { generation: number }>();
  /** Refresh tokens already used or revoked (so a reuse is told apart from garbage; both are refused). */
  private readonly spent = new Set<string>();
  private chains = 0;
  readonly stats = { passwordGrants: 0, refreshGrants: 0, refreshRejected: 0, generation: 0 };

  constructor(
    private readonly users: { user: string; password: string; role: Role }[],
    private readonly accessLifetimeS: number, private readonly refreshLifetimeS: number,
  ) {}

  /** `form` is the parsed x-www-form-urlencoded body. grant_type matches case-insensitively (1.2 lowercase, 1.3 capitalised). */
  grant(form: URLSearchParams, now: number): GrantResult {
    const type = (form.get('grant_type') ?? '').toLowerCase();
    const short = (form.get('use_short_term_refresh') ?? '').toLowerCase() === 'true';
    if (type === 'password') {
      const name = form.get('username') ?? '';
      const u = this.users.find((x) => x.user.toLowerCase() === name.toLowerCase() && x.password === (form.get('password') ?? ''));
      if (!u) return { ok: false, status: 401, errorCode: 'AccessDenied', message: 'Access is denied. The user name or password is incorrect.' };
      this.stats.passwordGrants++;
      return { ok: true, body: this.issue({ user: u.user, role: u.role, chain: ++this.chains }, 0, now, short) };
    }
    if (type === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const live = this.refresh.get(rt);
      this.refresh.delete(rt);
      if (!live || live.expires <= now) {
        this.stats.refreshRejected++;
        const reused = this.spent.has(rt);
        this.spent.add(rt);
        return { ok: false, status: 400, errorCode: live ? 'ExpiredToken' : 'InvalidToken',
          message: live ? 'The refresh token has expired.' : reused ? 'The refresh token has already been used.' : 'The refresh token is invalid.' };
      }
      this.spent.add(rt);
      this.stats.refreshGrants++;
      return { ok: true, body: this.issue(live.principal, live.generation + 1, now, short) };
    }
    if (!type) return { ok: false, status: 400, errorCode: 'UnexpectedContent', message: 'The grant_type parameter is required.' };
    return { ok: false, status: 400, errorCode: 'UnexpectedContent', message: `Grant type '${form.get('grant_type')}' is not supported.` };
  }

  private issue(p: Principal, generation: number, now: number, shortRefresh: boolean): Record<string, unknown> {
    const iat = Math.floor(now / 1000);
    const access = jwt({ unique_name: p.user, nbf: iat, exp: iat + this.accessLifetimeS, iat, aud: 'access' });
    const refreshS = shortRefresh ? this.accessLifetimeS + 15 * 60 : this.refreshLifetimeS;
    const refresh = jwt({ unique_name: p.user, token_id: crypto.randomUUID(), short_term_expiration: shortRefresh ? 'True' : 'False',
      nbf: iat, exp: iat + refreshS, iat, aud: 'refresh' });
    this.access.set(access, { principal: p, expires: now + this.accessLifetimeS * 1000 });
    this.refresh.set(refresh, { principal: p, expires: now + refreshS * 1000, generation });
    this.stats.generation = generation;
    return {
      access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: this.accessLifetimeS,
      '.issued': new Date(now).toISOString(), '.expires': new Date(now + this.accessLifetimeS * 1000).toISOString(),
    };
  }

  /** The principal behind `Authorization: Bearer …`, if the token is live. */
  check(authorization: string | undefined, now: number): (Principal & { token: string }) | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const live = m ? this.access.get(m[1]) : undefined;
    if (!m || !live) return undefined;
    if (live.expires <= now) { this.access.delete(m[1]); return undefined; }
    return { ...live.principal, token: m[1] };
  }

  /** Both tokens of the chain become invalid. */
  logout(token: string): void {
    const p = this.access.get(token)?.principal;
    this.access.delete(token);
    if (!p) return;
    for (const [rt, l] of this.refresh) if (l.principal.chain === p.chain) { this.refresh.delete(rt); this.spent.add(rt); }
  }

  expireAccess(): void { this.access.clear(); }
  expireRefresh(): void { for (const rt of this.refresh.keys()) this.spent.add(rt); this.refresh.clear(); }

  state(now: number): VbrTokenState {
    const live = <V extends { expires: number }>(m: Map<string, V>): number => [...m.values()].filter((l) => l.expires > now).length;
    return { ...this.stats, liveAccessTokens: live(this.access), liveRefreshTokens: live(this.refresh) };
  }
}
