// Veeam Backup Enterprise Manager as a server kind.
import type { ServerKind } from '../model';
import { EmClient } from './client';
import { emInfo } from './info';

export { EmClient } from './client';
export type { EmClientOptions } from './client';
export * from './filter';

export const emKind: ServerKind = { ...emInfo, createClient: (def, deps) => new EmClient(def, deps) };
