// The server kinds the extension knows. Adding a kind = one folder under src/api and one entry here.
// Only the metadata is loaded at activation; a kind's implementation (and with it axios and
// fast-xml-parser) is required on first use, which keeps activation fast.
import type { ServerKind, ServerKindId } from './model';

interface Entry { id: ServerKindId; label: string; defaultPort: number; load: () => ServerKind }

/* eslint-disable @typescript-eslint/no-require-imports */
const ENTRIES: Entry[] = [
  { id: 'vb365', label: 'Veeam Backup for Microsoft 365', defaultPort: 4443,
    load: () => (require('./vb365') as typeof import('./vb365')).vb365Kind },
  { id: 'em', label: 'Veeam Backup Enterprise Manager', defaultPort: 9398,
    load: () => (require('./em') as typeof import('./em')).emKind },
];
/* eslint-enable @typescript-eslint/no-require-imports */

export const KINDS: Partial<Record<ServerKindId, ServerKind>> = Object.fromEntries(ENTRIES.map((e) => [e.id, {
  id: e.id, label: e.label, defaultPort: e.defaultPort,
  createClient: (def, deps) => e.load().createClient(def, deps),
} satisfies ServerKind]));

export function kindOf(id: string): ServerKind | undefined {
  return (KINDS as Record<string, ServerKind | undefined>)[id];
}
