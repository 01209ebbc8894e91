// What Veeam Backup for Microsoft 365 says about itself to the tree, commands and status bar.
// No HTTP code here: this file is read at activation.
import type { KindInfo } from '../model';

const JOBS = { via: [{ role: 'jobs' }], types: ['job'] };
/** The sessions listed under each job (the first page of each): where the palette finds logs and messages. */
const JOB_SESSIONS = { via: [{ role: 'jobs' }, { type: 'job' }], types: ['jobSession'] };

export const vb365Info: KindInfo = {
  id: 'vb365',
  label: 'Veeam Backup for Microsoft 365',
  shortLabel: 'VB365',
  defaultPort: 4443,
  urlPlaceholder: 'https://vb365.example.com:4443',
  userPlaceholder: 'DOMAIN\\administrator',
  apiVersionHint: 'e.g. v8 (v4–v8); empty = detect',
  types: {
    organization: { icon: 'organization', noun: ['organization', 'organizations'], statusIcon: false },
    repository: { icon: 'database', noun: ['repository', 'repositories'], statusIcon: false, emptyChildren: 'synchronization sessions' },
    job: { icon: 'briefcase', noun: ['job', 'jobs'], emptyChildren: 'sessions', followsChildren: true },
    jobSession: { icon: 'history', noun: ['job session', 'job sessions'], watch: true },
    syncSession: { icon: 'sync', noun: ['sync session', 'sync sessions'], watch: true, activity: 'Syncing' },
  },
  targets: {
    sync: { via: [{ role: 'repos' }], types: ['repository'] },
    startJob: JOBS, stopJob: JOBS, retryJob: JOBS, enableJob: JOBS, disableJob: JOBS,
    openJson: JOBS, openXml: JOBS, copyId: JOBS,
    openLog: JOB_SESSIONS, copyMessage: JOB_SESSIONS,
  },
};
