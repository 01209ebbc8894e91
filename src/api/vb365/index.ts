import { ServerKind } from '../model';
import { Vb365Client } from './client';

export const vb365Kind: ServerKind = {
  id: 'vb365',
  label: 'Veeam Backup for Microsoft 365',
  defaultPort: 4443,
  createClient: (def, deps) => new Vb365Client(def, deps),
};
