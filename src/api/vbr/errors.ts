// VBR error bodies ({errorCode, message, resourceId}) → VeeamError, and 403 → which role the
// account lacks. The roles come from each operation's `x-veeam-authorize` claim and its
// "Available to" list in the specs (a contract test keeps this table honest).
import { VeeamError } from '../errors';
import { busyNote, htmlError, retryAfter, stripBom } from '../http/body';
import type { HttpResponse } from '../http/transport';

export interface Permission {
  method: 'GET' | 'POST';
  /** Matches the path without query. */
  path: RegExp;
  /** The `x-veeam-authorize` claim of the operation. */
  claim: string;
  /** What the account may not do: 'start jobs'. */
  what: string;
  /** The built-in roles that may ("Available to"), as a phrase. */
  roles: string;
}

const VIEWERS = 'Backup Viewer, Backup Operator, Restore Operator, Security Administrator or Backup Administrator';
const VIEWERS4 = 'Backup Viewer, Backup Operator, Restore Operator or Backup Administrator';
const OPERATORS = 'Backup Operator or Backup Administrator';
const ID = '[^/]+';

export const PERMISSIONS: Permission[] = [
  { method: 'POST', path: new RegExp(`^/api/v1/jobs/${ID}/start$`), claim: 'StartJobs', what: 'start jobs', roles: OPERATORS },
  { method: 'POST', path: new RegExp(`^/api/v1/jobs/${ID}/retry$`), claim: 'StartJobs', what: 'retry jobs', roles: OPERATORS },
  { method: 'POST', path: new RegExp(`^/api/v1/jobs/${ID}/stop$`), claim: 'StopJobs', what: 'stop jobs', roles: OPERATORS },
  { method: 'POST', path: new RegExp(`^/api/v1/jobs/${ID}/enable$`), claim: 'EnableJobs', what: 'enable jobs', roles: 'Backup Administrator' },
  { method: 'POST', path: new RegExp(`^/api/v1/jobs/${ID}/disable$`), claim: 'DisableJobs', what: 'disable jobs', roles: 'Backup Administrator' },
  { method: 'POST', path: new RegExp(`^/api/v1/sessions/${ID}/stop$`), claim: 'StopSessions', what: 'stop sessions',
    roles: 'Backup Operator, Restore Operator or Backup Administrator' },
  { method: 'GET', path: /^\/api\/v1\/jobs(\/states|\/[^/]+)?$/, claim: 'ViewJobs', what: 'view jobs', roles: VIEWERS },
  { method: 'GET', path: new RegExp(`^/api/v1/sessions/${ID}/taskSessions$`), claim: 'ViewTaskSessions', what: 'view task sessions', roles: VIEWERS4 },
  { method: 'GET', path: new RegExp(`^/api/v1/sessions/${ID}/logs$`), claim: 'ViewSessions', what: 'read session logs', roles: VIEWERS },
  { method: 'GET', path: new RegExp(`^/api/v1/taskSessions/${ID}/logs$`), claim: 'ViewTaskSessionLogs', what: 'read task session logs', roles: VIEWERS },
  { method: 'GET', path: /^\/api\/v1\/taskSessions(\/[^/]+)?$/, claim: 'ViewTaskSessions', what: 'view task sessions', roles: VIEWERS4 },
  { method: 'GET', path: /^\/api\/v1\/sessions(\/[^/]+)?$/, claim: 'ViewSessions', what: 'view sessions', roles: VIEWERS },
  { method: 'GET', path: /^\/api\/v1\/backupInfrastructure\/repositories(\/states|\/[^/]+)?$/, claim: 'ViewRepositories', what: 'view repositories', roles: VIEWERS },
  { method: 'GET', path: /^\/api\/v1\/backupInfrastructure\/managedServers(\/[^/]+)?$/, claim: 'ViewManagedServers', what: 'view managed servers', roles: VIEWERS4 },
  { method: 'GET', path: /^\/api\/v1\/backupInfrastructure\/proxies(\/states|\/[^/]+)?$/, claim: 'ViewProxies', what: 'view backup proxies', roles: VIEWERS4 },
  { method: 'GET', path: /^\/api\/v1\/malwareDetection\/events(\/[^/]+)?$/, claim: 'ViewSuspiciousActivityEvents', what: 'view malware events',
    roles: 'Backup Viewer, Backup Operator, Restore Operator, Security Administrator, Incident API Operator or Backup Administrator' },
  { method: 'GET', path: /^\/api\/v1\/securityAnalyzer\/bestPractices$/, claim: 'GetBestPracticesComplianceResult',
    what: 'read the Security & Compliance Analyzer results', roles: 'Security Administrator or Backup Administrator' },
  { method: 'GET', path: /^\/api\/v1\/license$/, claim: 'GetInstalledLicense', what: 'read the license', roles: 'Backup Administrator' },
];

export function permissionFor(method: string, path: string): Permission | undefined {
  const p = path.split('?')[0];
  return PERMISSIONS.find((x) => x.method === method && x.path.test(p));
}

interface ErrorBody { errorCode?: string; message?: string; resourceId?: string }

export function errorBody(res: HttpResponse): ErrorBody {
  try {
    const b = JSON.parse(stripBom(res.text)) as Record<string, unknown>;
    return {
      errorCode: typeof b.errorCode === 'string' ? b.errorCode : undefined,
      message: typeof b.message === 'string' && b.message.trim() ? b.message.trim() : undefined,
      resourceId: typeof b.resourceId === 'string' ? b.resourceId : undefined,
    };
  } catch { return {}; }
}

/** An error status as a VeeamError for an admin: what failed, the server's words, and for 403 the role. */
export function httpError(res: HttpResponse, method: string, path: string, user: string, host: string): VeeamError {
  const bare = path.split('?')[0];
  const html = htmlError(res, bare);
  if (html) { return html; }
  const b = errorBody(res);
  const extra = { status: res.status, serverMessage: b.message, errorCode: b.errorCode, method, path: bare, retryAfterSeconds: retryAfter(res) };
  if (res.status === 403) {
    const p = permissionFor(method, bare);
    const said = b.message && !/^forbidden\.?$/i.test(b.message) ? ` The server said: ${b.message.replace(/[.\s]+$/, '')}.` : '';
    return new VeeamError('http', p
      ? `${user} may not ${p.what} on ${host}: the account lacks the ${p.roles} role (permission ${p.claim}, HTTP 403).${said}`
      : `${user} is not allowed to do this on ${host} (HTTP 403 for ${bare}).${said}`, extra);
  }
  const what = res.status === 404 ? 'Not found' : `HTTP ${res.status}`;
  return new VeeamError('http', `${b.message ? `${b.message.replace(/\s+$/, '')} (${what})` : `${what} from ${host} for ${bare}.`}${busyNote(res)}`, extra);
}
