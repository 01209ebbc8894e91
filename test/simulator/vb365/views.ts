// Per-version JSON shapes. Field sets follow the v6/v7/v8 OpenAPI schemas exactly; v4/v5 reuse the v6 shapes (inferred).
import { sessionState, type Job, type JobSession, type Organization, type Repository, type Vb365Data } from './data';
import { syncState, type SyncSession } from './runners';
import { sessionMessage, type LogItemData } from './logs';

export type Ver = 4 | 5 | 6 | 7 | 8;
type Json = Record<string, unknown>;

export interface ViewCtx { v: Ver; baseUrl: string; now: number; data: Vb365Data; nulls?: boolean; maxPageSize?: number }

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T/;

/** Vb365Options.nulls: every id (`id`, `…Id`), date and number of an entity becomes null; `_links` stay. */
function nullable(c: ViewCtx, o: Json): Json {
  if (!c.nulls) return o;
  const walk = (v: unknown, key: string): unknown => {
    if (key === '_links') return v;
    if (typeof v === 'number') return null;
    if (typeof v === 'string' && (key === 'id' || /Id$/.test(key) || ISO_DATE.test(v))) return null;
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(o, '') as Json;
}

const iso = (t: number): string => new Date(t).toISOString();

/** v6+ links are relative ("/v8/..."); v4/v5 links are absolute URLs. */
export function href(c: ViewCtx, rel: string): { href: string } {
  return { href: `${c.v >= 6 ? '' : c.baseUrl}/v${c.v}/${rel}` };
}

export function orgView(c: ViewCtx, o: Organization): Json {
  const last = c.data.sessions.find((s) => c.data.jobs.some((j) => j.id === s.jobId && j.organizationId === o.id));
  return nullable(c, {
    id: o.id, name: o.name, officeName: o.officeName, type: o.type, region: o.region, isBackedup: true,
    firstBackuptime: iso(o.firstBackuptime), lastBackuptime: last ? iso(last.creationTime) : null,
    isExchangeOnline: o.isExchangeOnline, isSharePointOnline: o.isSharePointOnline, isTeamsOnline: o.isTeamsOnline,
    isTeamsChatsOnline: o.isTeamsChatsOnline,
    ...(c.v >= 7 ? { description: `${o.officeName} Microsoft 365 tenant` } : {}),
    _links: {
      self: href(c, `Organizations/${o.id}`), jobs: href(c, c.v >= 8 ? `Jobs?organizationId=${o.id}` : `Organizations/${o.id}/Jobs`),
    },
  });
}

export function repoView(c: ViewCtx, r: Repository): Json {
  const base: Json = {
    id: r.id, name: r.name, description: '', path: r.path, capacityBytes: r.capacityBytes, freeSpaceBytes: r.freeSpaceBytes, proxyId: r.proxyId,
    isLongTerm: r.isLongTerm, isOutOfSync: r.isOutOfSync, retentionType: r.retentionType, retentionPeriodType: r.retentionPeriodType,
    ...(r.dailyRetentionPeriod !== undefined ? { dailyRetentionPeriod: r.dailyRetentionPeriod } : { yearlyRetentionPeriod: r.yearlyRetentionPeriod }),
    retentionFrequencyType: 'Daily', dailyTime: '00:00:00', dailyType: 'Everyday', encryptionKeyId: null,
  };
  if (c.v >= 8) {
    Object.assign(base, {
      proxyPoolId: null, organizationId: null, isOutdated: false, isIndexed: r.isIndexed, isMigrationLocked: false,
      isOutOfOrder: false, outOfOrderReason: null,
    });
  } else {
    Object.assign(base, { objectStorageId: null, objectStorageEncryptionEnabled: null });
  }
  base._links = { self: href(c, `BackupRepositories/${r.id}`) };
  return nullable(c, base);
}

export function jobView(c: ViewCtx, j: Job): Json {
  const sessions = c.data.sessions.filter((s) => s.jobId === j.id);
  const newest = sessions[0];
  const newestState = newest ? sessionState(newest, c.now) : undefined;
  let lastOk: number | null = null;
  for (const s of sessions) {
    const st = sessionState(s, c.now);
    if (st.status === 'Success' || st.status === 'Warning') { lastOk = st.endTime; break; }
  }
  const day = 86_400_000;
  const [hh] = j.dailyTime.split(':').map(Number);
  const next = Math.ceil((c.now - hh * 3_600_000) / day) * day + hh * 3_600_000;
  const out: Json = {
    id: j.id, name: j.name, description: '', backupType: j.backupType, repositoryId: j.repositoryId,
    lastRun: newest ? iso(newest.creationTime) : null, nextRun: j.isEnabled ? iso(next) : null,
    isEnabled: j.isEnabled, lastStatus: newestState?.status ?? null,
    schedulePolicy: j.scheduleType === 'Daily'
      ? { scheduleEnabled: j.isEnabled, type: 'Daily', dailyType: 'Everyday', dailyTime: j.dailyTime, retryEnabled: true, retryNumber: 3, retryWaitInterval: 10 }
      : { scheduleEnabled: j.isEnabled, type: 'Periodically', periodicallyEvery: 'Hours4', retryEnabled: true, retryNumber: 3, retryWaitInterval: 10 },
  };
  if (c.v >= 7) out.lastBackup = lastOk !== null ? iso(lastOk) : null;
  if (c.v >= 8) Object.assign(out, { organizationId: j.organizationId, eTag: j.eTag });
  out._links = {
    self: href(c, `Jobs/${j.id}`), organization: href(c, `Organizations/${j.organizationId}`),
    backupRepository: href(c, `BackupRepositories/${j.repositoryId}`),
    jobSessions: href(c, c.v >= 8 ? `JobSessions?jobId=${j.id}` : `Jobs/${j.id}/JobSessions`),
  };
  return nullable(c, out);
}

// Not in any schema we serve: mainSessionId is omitted (the schema says a non-nullable uuid and these are main
// sessions); v6 has no nullable endTime, so a running session simply has no endTime there (inferred).
export function sessionView(c: ViewCtx, s: JobSession): Json {
  const st = sessionState(s, c.now);
  const out: Json = { id: s.id };
  if (c.v >= 8) out.jobId = s.jobId;
  if (c.v >= 7) out.repositoryId = s.repositoryId;
  out.details = sessionDetails(s, st.status);
  out.creationTime = iso(s.creationTime);
  if (st.endTime !== null) out.endTime = iso(st.endTime);
  else if (c.v >= 7) out.endTime = null;
  out.retryCount = s.retryCount;
  if (c.v >= 7) out.jobWillBeRetried = st.status === 'Failed' && s.retryCount < 3;
  out.progress = st.progress;
  if (c.v >= 7) out.jobType = 'Backup';
  if (c.v >= 8) out.jobSessionConfigType = s.configType;
  out.status = st.status;
  out.statistics = st.statistics;
  if (c.v >= 8) Object.assign(out, { eTag: s.eTag, proxyId: s.proxyId, proxyPoolId: null });
  out._links = { self: href(c, `JobSessions/${s.id}`), job: href(c, `Jobs/${s.jobId}`), log: href(c, `JobSessions/${s.id}/LogItems`) };
  return nullable(c, out);
}

/** A session's `details`: the failure or warning message once it has ended Failed or Warning, else ''. */
export function sessionDetails(s: JobSession, status: string): string {
  return status === 'Failed' || status === 'Warning' ? s.message ?? sessionMessage(s.id, status) : '';
}

export function logItemView(c: ViewCtx, sessionId: string, l: LogItemData): Json {
  const out: Json = { id: l.id, usn: l.usn };
  if (c.v >= 8) Object.assign(out, { type: l.type, message: l.text });
  else out.title = `[${l.type}] ${l.text}`;
  Object.assign(out, { creationTime: iso(l.creationTime), endTime: iso(l.endTime) });
  out._links = { self: href(c, `JobSessions/${sessionId}/LogItems/${l.id}`), jobSession: href(c, `JobSessions/${sessionId}`) };
  return nullable(c, out);
}

// `error` is declared a non-nullable string but Veeam's examples (and .NET serialisation) give null while there is none.
export function syncView(c: ViewCtx, s: SyncSession): Json {
  const st = syncState(s, c.now);
  return nullable(c, {
    id: s.id, repositoryId: s.repositoryId, state: st.state, progressPercent: st.progressPercent, error: st.error ?? null,
    _links: { self: href(c, `RepositorySynchronizeSessions/${s.id}`), repository: href(c, `BackupRepositories/${s.repositoryId}`) },
  });
}

type ErrorCode = 'ResourceNotFound' | 'ParameterValidationFailure' | 'ResourceAccessDenied' | 'OperationConflict';

/** RESTExceptionInfo: v6 {message}; v7 adds errorCode (its enum is only ProxyOffline, so other codes are null there); v8 adds stackTrace. */
export function errorView(v: Ver, message: string, code?: ErrorCode): Json {
  if (v <= 6) return { message };
  if (v === 7) return { message, errorCode: null };
  return { message, errorCode: code ?? null, stackTrace: null };
}
