import type { ServerKind } from '../model';
import { Vb365Client } from './client';
import { vb365Info } from './info';

export const vb365Kind: ServerKind = { ...vb365Info, createClient: (def, deps) => new Vb365Client(def, deps) };
