// Veeam Backup Enterprise Manager as a server kind.
import type { ServerKind } from '../model';
import { EmClient } from './client';

export { EmClient } from './client';
export type { EmClientOptions } from './client';
export * from './filter';

export const emKind: ServerKind = {
  id: 'em',
  label: 'Veeam Backup Enterprise Manager',
  defaultPort: 9398,
  createClient: (def, deps) => new EmClient(def, deps),
};
