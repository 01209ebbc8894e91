// How confirmations name the place of an item: "on backup server VBR01 (Prod EM)" or "on Prod VB365".
import type { EntityNode } from '../tree/nodes';
import { scopeOf } from './pick';

export function where(node: EntityNode): string {
  const scope = scopeOf(node);
  return scope ? `on ${scope} (${node.server.def.name})` : `on ${node.server.def.name}`;
}

/** The job a node stands for: the node itself, or the job above a session. */
export function jobOf(node: EntityNode): EntityNode | undefined {
  for (let p: unknown = node; p && typeof p === 'object' && 'entity' in p; p = (p as EntityNode).parent) {
    if ((p as EntityNode).entity.type === 'job') { return p as EntityNode; }
  }
  return undefined;
}
