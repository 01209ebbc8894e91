// VB365 speaks JSON only; "Open as XML" renders the same payload (src/api/http/jsonXml.ts).
import type { EntityType } from '../model';
import { jsonToXml } from '../http/jsonXml';

const ROOTS: Partial<Record<EntityType, string>> = {
  organization: 'Organization', repository: 'BackupRepository', job: 'Job',
  jobSession: 'JobSession', syncSession: 'RepositorySynchronizeSession',
};

export function toXml(payload: unknown, type: EntityType): string { return jsonToXml(payload, ROOTS[type] ?? 'Item'); }
