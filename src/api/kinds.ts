// The server kinds the extension knows. Adding a kind = its folder under src/api (an info.ts that
// describes it and an index.ts with its client) and one entry here; nothing outside src/api changes.
// Only the descriptions are loaded at activation; a kind's client (and with it axios and
// fast-xml-parser) is required on first use, which keeps activation fast.
import type { KindInfo, ServerKind } from './model';
import { vb365Info } from './vb365/info';
import { emInfo } from './em/info';
import { vbrInfo } from './vbr/info';

interface Entry { info: KindInfo; load: () => ServerKind }

/* eslint-disable @typescript-eslint/no-require-imports */
const ENTRIES: Entry[] = [
  { info: vb365Info, load: () => (require('./vb365') as typeof import('./vb365')).vb365Kind },
  { info: emInfo, load: () => (require('./em') as typeof import('./em')).emKind },
  { info: vbrInfo, load: () => (require('./vbr') as typeof import('./vbr')).vbrKind },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** Every kind, in the order Add Server offers them. */
export const KINDS: readonly ServerKind[] = ENTRIES.map((e) => ({
  ...e.info,
  createClient: (def, deps) => e.load().createClient(def, deps),
} satisfies ServerKind));

export function kindOf(id: string): ServerKind | undefined {
  return KINDS.find((k) => k.id === id);
}
