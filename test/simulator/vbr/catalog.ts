// The static part of the seeded VBR lab: jobs, machines, repositories, servers and realistic messages.
import type { VbrResult } from '../types';

export type JobKind = 'vsphere-backup' | 'vsphere-replica' | 'file-backup-copy' | 'entra-tenant' | 'windows-agent' | 'linux-agent' | 'file-backup';

/** Kinds 1.2 has no EJobType for: those jobs (and their sessions) exist only for 1.3 revisions. */
export const V13_ONLY_KINDS: readonly JobKind[] = ['windows-agent', 'linux-agent', 'file-backup'];

export type Schedule = { kind: 'daily'; hour: number; minute: number } | { kind: 'hours'; every: number; minute: number } | null;

export interface JobDef {
  key: string;
  name: string;
  kind: JobKind;
  schedule: Schedule;
  objects: string[];
  /** Index into REPOSITORIES (jobs that write to a repository). */
  repo?: number;
  disabled?: boolean;
  highPriority?: boolean;
  /** Result of the newest finished session; 'running' = the newest session is Working now (for hours). */
  newest?: VbrResult | 'running';
  /** Minutes a run takes (min, max). */
  minutes: [number, number];
  /** Days ago the history stops (a job disabled 10 days ago has no newer sessions). */
  stoppedDaysAgo?: number;
}

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);

export const JOBS: JobDef[] = [
  { key: 'daily', name: 'Daily VM backup', kind: 'vsphere-backup', schedule: { kind: 'daily', hour: 22, minute: 0 },
    objects: ['dc01', 'fs01', 'web01', 'web02', 'app01', 'app02'], repo: 0, newest: 'Success', minutes: [25, 55] },
  { key: 'sql', name: 'SQL servers backup', kind: 'vsphere-backup', schedule: { kind: 'hours', every: 4, minute: 15 },
    objects: ['SQL01', 'SQL02', 'SQL03'], repo: 1, highPriority: true, newest: 'Warning', minutes: [8, 20] },
  { key: 'exch', name: 'Exchange backup', kind: 'vsphere-backup', schedule: { kind: 'hours', every: 3, minute: 30 },
    objects: ['exch01', 'exch02'], repo: 1, newest: 'running', minutes: [10, 25] },
  { key: 'replica', name: 'DR replica to site B', kind: 'vsphere-replica', schedule: { kind: 'hours', every: 2, minute: 5 },
    objects: ['dc01', 'SQL01', 'app01', 'web01'], newest: 'Failed', minutes: [4, 15] },
  { key: 'filecopy', name: 'File share copy', kind: 'file-backup-copy', schedule: { kind: 'hours', every: 6, minute: 45 },
    objects: ['\\\\fs01.lab.local\\projects', '\\\\fs01.lab.local\\home'], repo: 3, newest: 'Success', minutes: [15, 40] },
  { key: 'entra', name: 'Entra ID tenant backup', kind: 'entra-tenant', schedule: { kind: 'hours', every: 12, minute: 0 },
    objects: ['lab.onmicrosoft.com'], newest: 'running', minutes: [5, 12] },
  { key: 'legacy', name: 'Legacy file server (disabled)', kind: 'vsphere-backup', schedule: { kind: 'daily', hour: 1, minute: 0 },
    objects: ['fs-old01'], repo: 2, disabled: true, minutes: [20, 40], stoppedDaysAgo: 10 },
  { key: 'empty', name: 'Empty test job', kind: 'vsphere-backup', schedule: null, objects: [], repo: 0, minutes: [1, 2] },
  { key: 'winagent', name: 'Windows laptops (agent)', kind: 'windows-agent', schedule: { kind: 'daily', hour: 12, minute: 30 },
    objects: range('laptop-', 48), repo: 0, minutes: [30, 70] },
  { key: 'linagent', name: 'Linux servers (agent)', kind: 'linux-agent', schedule: { kind: 'hours', every: 8, minute: 20 },
    objects: ['lnx-web01', 'lnx-web02', 'lnx-db01', 'lnx-mq01', 'lnx-cache01', 'lnx-git01'], repo: 1, minutes: [6, 18] },
  { key: 'nas', name: 'NAS file share backup', kind: 'file-backup', schedule: { kind: 'hours', every: 6, minute: 40 },
    objects: ['\\\\fs01.lab.local\\projects', '\\\\fs01.lab.local\\home'], repo: 2, minutes: [10, 30] },
];

/** Machine sizes in GB (provisioned), by name; others get 40–120 GB from the seed. */
export const VM_SIZES: Record<string, number> = { dc01: 60, fs01: 500, SQL01: 320, SQL02: 320, SQL03: 180, exch01: 400, exch02: 400 };

export interface Messages { warning: string[]; failed: string[] }

/** `{obj}` is replaced by one of the session's objects. */
export const MESSAGES: Record<JobKind, Messages> = {
  'vsphere-backup': {
    warning: ['Processing {obj} Warning: Changed block tracking is disabled', 'Unable to truncate Microsoft SQL Server transaction logs on {obj}. Details: Failed to process \'TruncateSQLLog\' command.',
      '{obj}: Snapshot consolidation is required'],
    failed: ['Failed to connect to host esx01.lab.local: timeout', 'Error: The network path was not found',
      'Error: Failed to create snapshot on {obj}: The operation is not allowed in the current state.', 'Error: Not enough free space on repository \'Primary repository\' (1.2 GB left)'],
  },
  'vsphere-replica': {
    warning: ['{obj}: Replica VM guest OS shutdown timed out; continuing with crash-consistent state'],
    failed: ['Failed to connect to host esx01: timeout', 'Error: Target datastore datastore-b02 is running low on free space'],
  },
  'file-backup-copy': {
    warning: ['Some files were skipped: 3 files are locked by another process'],
    failed: ['Error: The network path was not found'],
  },
  'entra-tenant': {
    warning: ['3 objects were skipped: insufficient privileges to read the objects'],
    failed: ['Error: Failed to connect to the tenant: AADSTS7000215 Invalid client secret provided'],
  },
  'windows-agent': {
    warning: ['{obj}: Volume D:\\ was skipped: the volume is not available'],
    failed: ['Error: Unable to connect to the agent on {obj}: host is unreachable'],
  },
  'linux-agent': {
    warning: ['{obj}: Snapshot creation failed, falling back to snapshot-less file-level backup'],
    failed: ['Error: Unable to connect to the agent on {obj}: host is unreachable'],
  },
  'file-backup': {
    warning: ['Some files were skipped: 12 files have paths longer than 32767 characters'],
    failed: ['Error: The network path was not found'],
  },
};

export interface RepoDef { name: string; type: 'WinLocal' | 'Smb'; path: string; capacityGB: number; freeGB: number; usedGB: number; online: boolean; outOfDate: boolean; description: string }

// Used + free ≠ capacity on purpose (block clone / dedup), as in the 1.3 example; "Primary repository" is > 90 % full.
export const REPOSITORIES: RepoDef[] = [
  { name: 'Default Backup Repository', type: 'WinLocal', path: 'C:\\Backup', capacityGB: 499.4, freeGB: 212.6, usedGB: 251.3, online: true, outOfDate: false, description: 'Created by Veeam Backup' },
  { name: 'Primary repository', type: 'WinLocal', path: 'D:\\Backups', capacityGB: 7450.9, freeGB: 521.3, usedGB: 7120.4, online: true, outOfDate: false, description: 'Created by LAB\\administrator' },
  { name: 'Archive repository', type: 'WinLocal', path: 'E:\\Archive', capacityGB: 3725.3, freeGB: 1650.2, usedGB: 2389.9, online: true, outOfDate: true, description: 'Created by LAB\\administrator' },
  { name: 'NAS share repository', type: 'Smb', path: '\\\\nas01.lab.local\\veeam', capacityGB: 11175.8, freeGB: 4210, usedGB: 6502.1, online: false, outOfDate: false, description: 'Created by LAB\\administrator' },
];

export interface ServerDef { name: string; type: 'WindowsHost' | 'ViHost'; available: boolean; description: string; backupServer?: boolean }

export const SERVERS: ServerDef[] = [
  { name: 'vbr01.lab.local', type: 'WindowsHost', available: true, description: 'Backup server', backupServer: true },
  { name: 'vcenter01.lab.local', type: 'ViHost', available: true, description: 'Created by LAB\\administrator' },
  { name: 'proxy02.lab.local', type: 'WindowsHost', available: false, description: 'Created by LAB\\administrator' },
];

/** Proxies: the default one on the backup server, and proxy02 on a host that is down. */
export const PROXIES = [
  { name: 'VMware Backup Proxy', server: 0, hostName: 'This server', online: true, description: 'Created by Veeam Backup & Replication' },
  { name: 'proxy02.lab.local', server: 2, hostName: 'proxy02.lab.local', online: false, description: 'Created by LAB\\administrator' },
];

export const BEST_PRACTICES: [string, 'OK' | 'Violation' | 'Suppressed' | 'UnableToCheck', string?][] = [
  ['Immutable backups are used for the backup repositories', 'Violation'],
  ['Multi-factor authentication is enabled for all accounts', 'OK'],
  ['Backup encryption password length and complexity are sufficient', 'OK'],
  ['Configuration backup is enabled and uses encryption', 'OK'],
  ['Remote Desktop Services (TermService) is disabled', 'Violation'],
  ['Windows Script Host is disabled', 'Suppressed', 'Needed by the monitoring agent; reviewed by the security team'],
  ['Hardened repositories have SSH disabled', 'UnableToCheck'],
  ['Backup jobs to cloud repositories use encryption', 'OK'],
  ['Credentials and encryption passwords rotate at least annually', 'Violation'],
  ['Latest product updates are installed', 'OK'],
];
