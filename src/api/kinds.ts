// The server kinds the extension knows. Adding a kind = one folder under src/api and one line here.
import { ServerKind, ServerKindId } from './model';
import { vb365Kind } from './vb365';
import { emKind } from './em';

export const KINDS: Partial<Record<ServerKindId, ServerKind>> = {
  vb365: vb365Kind,
  em: emKind,
};

export function kindOf(id: string): ServerKind | undefined {
  return (KINDS as Record<string, ServerKind | undefined>)[id];
}
