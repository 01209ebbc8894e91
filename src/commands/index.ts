import type { Command } from './context';
import { addServer } from './addServer';
import { editServer } from './editServer';
import { removeServer } from './removeServer';
import { forgetPassword } from './forgetPassword';
import { enterPassword } from './enterPassword';
import { trustCertificate } from './trustCertificate';
import { refresh } from './refresh';
import { showLog } from './showLog';
import { loadMore } from './loadMore';
import { copyId } from './copyId';
import { openJson, openXml } from './openDocument';
import { refreshDocument } from './refreshDocument';
import { syncRepository } from './syncRepository';
import { startJob } from './startJob';
import { revealRunning } from './revealRunning';
import { clearFilter, filterSessions } from './filterSessions';
import { stopJob } from './stopJob';
import { retryJob } from './retryJob';
import { enableJob } from './enableJob';
import { disableJob } from './disableJob';
import { openSessionLog } from './openSessionLog';
import { copyMessage } from './copyMessage';
import { openDashboard } from './openDashboard';
import { openSessionLogFor } from './openSessionLogFor';
import { revealSession } from './revealSession';
import { configureFailureWatch } from './configureFailureWatch';

export const COMMANDS: Command[] = [
  addServer, editServer, removeServer, forgetPassword, enterPassword, trustCertificate, refresh, showLog,
  loadMore, copyId, openJson, openXml, refreshDocument, syncRepository, startJob, revealRunning,
  filterSessions, clearFilter, stopJob, retryJob, enableJob, disableJob, openSessionLog, copyMessage,
  openDashboard, openSessionLogFor, revealSession, configureFailureWatch,
];
