// What the dashboard, the failure watch and the chat tools read in bulk: job sessions of a time window
// (`GET /api/v1/sessions` with the creation-time filters, 1,000 per request, never a request per job)
// and every repository with its capacity (`GET /api/v1/backupInfrastructure/repositories/states`).
import type { Entity, SessionQuery } from '../model';
import { VeeamError } from '../errors';
import { isoMs } from '../format';
import type { VbrClient } from './client';
import type { Obj } from './normalize';
import { canon } from './enums';
import { repository } from './infra';
import { session } from './session';
import { atLeast } from './revision';
import { P } from './tree';

/** Sessions asked for per request. */
export const SESSION_PAGE = 1000;
const DEFAULT_LIMIT = 10_000;
/** At most this many requests for one window (200,000 sessions), whatever the server answers. */
const MAX_PAGES = 200;

/**
 * ESessionType values of job runs (inferred from the EJobType list: vSphere/Hyper-V/Cloud Director/Entra ID/file/
 * object storage backups run as BackupJob; replicas, backup copies, agent jobs and SureBackup have their own).
 * All are in the 1.3-rev2 enum; 1.2 has only BackupJob and ReplicaJob of them. Everything else (Infrastructure,
 * ConfigurationBackup, restores, SecurityComplianceAnalyzer, …) is not a job session.
 */
export const JOB_SESSION_TYPES = ['BackupJob', 'ReplicaJob', 'BackupCopyJob', 'UnstructuredDataBackupCopy', 'AgentBackup', 'SureBackup'];
/** Compared in canonical form; 1.2 start answers also say "Job". */
const JOB_KEYS = new Set([...JOB_SESSION_TYPES.map(canon), 'job']);

export function isJobSession(sessionType: unknown): boolean { return JOB_KEYS.has(canon(sessionType)); }

function instant(iso: string | undefined, what: string): number | undefined {
  if (iso === undefined || iso === '') { return undefined; }
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) { throw new VeeamError('config', `The ${what} "${iso}" is not a date and time.`); }
  return t;
}

/**
 * Job sessions created in [since, until], newest first, at most `limit`. 1.3 filters the types on the server
 * (typeFilter repeated, one value per job session type); 1.2 takes a single typeFilter value, so there the
 * sessions of the window are read unfiltered and the job sessions kept here — the same request count as two
 * typed reads would need at least, and no merge of two orders. A 1.3 server that refuses the type list (an
 * older revision lacking a value) is read the 1.2 way from then on.
 */
export async function sessionsSince(client: VbrClient, q: SessionQuery, signal?: AbortSignal): Promise<Entity[]> {
  const since = instant(q.since, 'start of the window');
  if (since === undefined) { throw new VeeamError('config', 'sessionsSince needs the start of the window (since).'); }
  const until = instant(q.until, 'end of the window');
  const limit = Math.max(1, Math.floor(q.limit ?? DEFAULT_LIMIT));
  const rev = await client.revision(signal);
  const c = await client.norm(signal);
  const enc = encodeURIComponent;
  const window = `createdAfterFilter=${enc(new Date(since).toISOString())}${until !== undefined ? `&createdBeforeFilter=${enc(new Date(until).toISOString())}` : ''}`
    + '&orderColumn=CreationTime&orderAsc=false';
  let typed = atLeast(rev, '1.3-rev0') && !client.noTypeFilter;
  const found = new Map<string, Entity>();
  let skip: number | undefined = 0;
  for (let i = 0; skip !== undefined && found.size < limit && i < MAX_PAGES; i++) {
    const types = typed ? JOB_SESSION_TYPES.map((t) => `typeFilter=${t}&`).join('') : '';
    let page: Awaited<ReturnType<VbrClient['page']>>;
    try {
      // Typed answers hold only what is wanted: ask for no more than is missing.
      page = await client.page(`${P.sessions}?${types}${window}`, skip, typed ? Math.min(SESSION_PAGE, limit - found.size) : SESSION_PAGE, signal);
    } catch (e) {
      if (typed && skip === 0 && (e as VeeamError).extra?.status === 400) { typed = false; client.noTypeFilter = true; i--; continue; }
      throw e;
    }
    let older = false;
    const data = page.data as (Obj | undefined)[];
    for (let k = 0; k < data.length; k++) {
      const o = data[k]!;
      data[k] = undefined;        // let each payload go once read (the page is not kept alive beside its entities)
      client.remember(o);
      const created = typeof o.creationTime === 'string' ? isoMs(o.creationTime) : NaN;
      // The filters are the server's; a server that ignores them is cut here (and paging stops below).
      if (Number.isFinite(created) && created < since) { older = true; continue; }
      if (Number.isFinite(created) && until !== undefined && created > until) { continue; }
      if (!isJobSession(o.sessionType)) { continue; }
      const e = session(o, c);
      found.set(e.key, e);        // sessions started while paging shift the pages: the same one read twice is kept once
      if (found.size >= limit) { break; }
    }
    skip = older ? undefined : page.next;
  }
  // Each start read once (not twice per comparison: 10,000 sessions take ~260,000 comparisons).
  const t = (e: Entity) => { const x = isoMs(e.startedAt); return Number.isFinite(x) ? x : -Infinity; };
  const byStart = [...found.values()].map((e) => ({ e, t: t(e) }));
  return byStart.sort((a, b) => b.t - a.t).slice(0, limit).map((x) => x.e);
}

/** Every repository (repository states, 200 per request) with `capacity` in bytes. */
export async function repositories(client: VbrClient, signal?: AbortSignal): Promise<Entity[]> {
  return (await client.all(`${P.repoStates}?orderColumn=Name&orderAsc=true`, signal)).map(repository);
}
