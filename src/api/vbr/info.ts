// What Veeam Backup & Replication (REST API, port 9419) says about itself to the tree, commands
// and status bar. No HTTP code here: this file is read at activation.
import type { KindInfo } from '../model';

const JOBS = { via: [{ role: 'jobs' }], types: ['job'] };

export const vbrInfo: KindInfo = {
  id: 'vbr',
  label: 'Veeam Backup & Replication',
  shortLabel: 'VBR',
  defaultPort: 9419,
  urlPlaceholder: 'https://vbr.example.com:9419',
  userPlaceholder: 'DOMAIN\\svc-veeam-rest',
  apiVersionHint: 'e.g. 1.3-rev2 (1.1-rev0–1.3-rev2); empty = detect',
  types: {
    job: { icon: 'briefcase', noun: ['job', 'jobs'], emptyChildren: 'sessions', watch: true, followsChildren: true },
    jobSession: { icon: 'history', noun: ['job session', 'job sessions'], emptyChildren: 'task sessions', watch: true },
    taskSession: { icon: 'vm', noun: ['task session', 'task sessions'], watch: true },
    repository: { icon: 'database', noun: ['repository', 'repositories'], statusIcon: false },
    managedServer: { icon: 'server', noun: ['managed server', 'managed servers'], statusIcon: false },
    proxy: { icon: 'server-process', noun: ['backup proxy', 'backup proxies'], statusIcon: false },
    malwareEvent: { icon: 'bug', noun: ['malware event', 'malware events'] },
    bestPractice: { icon: 'shield', noun: ['best practice', 'best practices'] },
    license: { icon: 'law', noun: ['license', 'licenses'] },
  },
  targets: {
    startJob: JOBS, stopJob: JOBS, retryJob: JOBS, enableJob: JOBS, disableJob: JOBS,
    openJson: JOBS, openXml: JOBS, copyId: JOBS,
    // Jobs whose last session's message the client has read (session logs are opened from the tree: a picker
    // over every job's sessions would cost a request per job).
    copyMessage: JOBS,
  },
};
