// VBR enums, read tolerantly: compared case-insensitively (1.2 sends `running`, 1.3 `Running`),
// with the 1.2↔1.3 aliases (`Backup` ≡ `VSphereBackup`), and unknown values kept as they came.
import type { EntityStatus } from '../model';

/** The lowercase key of an enum value ('' for none). */
export function key(v: unknown): string {
  return typeof v === 'string' ? v.trim().toLowerCase() : v === undefined || v === null ? '' : String(v).toLowerCase();
}

const ALIASES: Record<string, string> = {
  backup: 'vspherebackup',            // EJobType: 1.2 `Backup` is 1.3 `VSphereBackup`
  succeeded: 'success',               // log-record status vs ESessionResult
};

/** Canonical keys of the strings seen (enum values are few; sessions bring them by the ten thousand). */
const CANON = new Map<string, string>();

/** The canonical key: case folded and aliased. */
export function canon(v: unknown): string {
  if (typeof v !== 'string') { const k = key(v); return ALIASES[k] ?? k; }
  let c = CANON.get(v);
  if (c === undefined) {
    const k = key(v);
    c = ALIASES[k] ?? k;
    if (CANON.size >= 1000) { CANON.clear(); }
    CANON.set(v, c);
  }
  return c;
}

export function same(a: unknown, b: string): boolean { return canon(a) === canon(b); }

/** Readable labels for the values an admin sees; anything else is shown as it came. */
const LABELS: Record<string, string> = {
  vspherebackup: 'vSphere backup', hypervbackup: 'Hyper-V backup', vspherereplica: 'vSphere replica',
  clouddirectorbackup: 'Cloud Director backup', entraidtenantbackup: 'Entra ID tenant backup', entraidauditlogbackup: 'Entra ID audit log backup',
  filebackupcopy: 'File backup copy', legacybackupcopy: 'Backup copy (legacy)', backupcopy: 'Backup copy',
  windowsagentbackup: 'Windows agent backup', linuxagentbackup: 'Linux agent backup', filebackup: 'File backup',
  objectstoragebackup: 'Object storage backup', surebackupcontentscan: 'SureBackup content scan',
  cloudbackupazure: 'Azure cloud backup', cloudbackupaws: 'AWS cloud backup', cloudbackupgoogle: 'Google Cloud backup',
  nutanixahvbackupjob: 'Nutanix AHV backup', proxmoxbackupjob: 'Proxmox backup',
  // EJobWorkload
  application: 'Application', cloudvm: 'Cloud VM', file: 'File', server: 'Server', workstation: 'Workstation', vm: 'VM',
};

export function label(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') { return undefined; }
  return LABELS[canon(v)] ?? String(v);
}

/** ESessionResult → status; undefined for `None` (still running or never ran). */
export function resultStatus(result: unknown): EntityStatus | undefined {
  switch (canon(result)) {
    case 'success': return 'success';
    case 'warning': return 'warning';
    case 'failed': return 'failed';
    case '': case 'none': return undefined;
    default: return 'unknown';
  }
}

const RUNNING_STATES = new Set(['starting', 'working', 'stopping', 'pausing', 'resuming', 'postprocessing']);
const WAITING_STATES = new Set(['waitingtape', 'waitingrepository', 'waitingslot']);

/** ESessionState (+ result) → status. Any state but Stopped is work in progress, except Idle and ActionRequired. */
export function sessionStatus(state: unknown, result: unknown, canceled?: unknown): EntityStatus {
  const s = canon(state);
  if (RUNNING_STATES.has(s)) { return 'running'; }
  if (WAITING_STATES.has(s)) { return 'queued'; }
  if (s === 'idle') { return 'idle'; }
  if (s === 'actionrequired') { return 'warning'; }
  if (s === 'stopped' || s === '') {
    if (canceled === true && canon(result) !== 'success') { return 'stopped'; }
    return resultStatus(result) ?? (s === 'stopped' ? 'stopped' : 'unknown');
  }
  return 'unknown';
}

/** EJobStatus: 1.2 running|inactive|disabled, 1.3 adds Enabled, Stopping, Stopped, Starting. */
export type JobActivity = 'running' | 'starting' | 'stopping' | 'idle' | 'disabled' | 'unknown';

export function jobActivity(status: unknown): JobActivity {
  switch (canon(status)) {
    case 'running': return 'running';
    case 'starting': return 'starting';
    case 'stopping': return 'stopping';
    case 'disabled': return 'disabled';
    case 'inactive': case 'enabled': case 'stopped': case 'idle': return 'idle';
    default: return 'unknown';
  }
}

/** ESessionState as a word for a description: 'Working' → 'Working', 'WaitingSlot' → 'Waiting for a slot'. */
export function stateText(state: unknown): string {
  const WORDS: Record<string, string> = {
    waitingtape: 'Waiting for tape', waitingrepository: 'Waiting for the repository', waitingslot: 'Waiting for a slot',
    actionrequired: 'Action required', postprocessing: 'Post-processing',
  };
  return WORDS[canon(state)] ?? (typeof state === 'string' && state ? state : 'Unknown');
}
