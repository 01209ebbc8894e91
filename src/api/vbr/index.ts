// Veeam Backup & Replication (REST API 1.1–1.3) as a server kind.
import type { ServerKind } from '../model';
import { VbrClient } from './client';
import { vbrInfo } from './info';

export { VbrClient } from './client';
export { REVISIONS } from './revision';
export { PERMISSIONS } from './errors';

export const vbrKind: ServerKind = { ...vbrInfo, createClient: (def, deps) => new VbrClient(def, deps) };
