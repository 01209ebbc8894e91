// What Veeam Backup Enterprise Manager says about itself to the tree, commands and status bar.
// No HTTP or XML code here: this file is read at activation. EM jobs sit under each backup server.
import type { KindInfo } from '../model';

const JOBS = { via: [{ role: 'backupServers' }, { type: 'backupServer' }, { role: 'jobs' }], types: ['job'] };

export const emInfo: KindInfo = {
  id: 'em',
  label: 'Veeam Backup Enterprise Manager',
  shortLabel: 'Enterprise Manager',
  defaultPort: 9398,
  urlPlaceholder: 'https://em.example.com:9398',
  userPlaceholder: 'DOMAIN\\administrator',
  apiVersionHint: 'e.g. v1_7 (see https://host:9398/api/); empty = latest',
  types: {
    backupServer: { icon: 'server-process', noun: ['backup server', 'backup servers'], statusIcon: false, scope: 'backup server' },
    repository: { icon: 'database', noun: ['repository', 'repositories'], statusIcon: false },
    job: { icon: 'briefcase', noun: ['job', 'jobs'], emptyChildren: 'sessions', followsChildren: true },
    backupSession: { icon: 'history', noun: ['backup session', 'backup sessions'], watch: true, emptyChildren: 'task sessions' },
    replicaSession: { icon: 'mirror', noun: ['replica session', 'replica sessions'], watch: true, emptyChildren: 'task sessions' },
    taskSession: { icon: 'vm', noun: ['task session', 'task sessions'] },
  },
  targets: {
    startJob: JOBS, stopJob: JOBS, retryJob: JOBS, enableJob: JOBS, disableJob: JOBS,
    openJson: JOBS, openXml: JOBS, copyId: JOBS,
    filter: { via: [], types: ['folder'] },
    // From the palette: the newest backup sessions (every job session and task session offers it in the tree).
    openLog: { via: [{ role: 'backupSessions' }], types: ['backupSession'] },
    // The jobs whose last session failed or warned with a message.
    copyMessage: JOBS,
  },
};
