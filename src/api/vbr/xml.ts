// VBR speaks JSON only; "Open as XML" renders the same payload (src/api/http/jsonXml.ts).
import type { EntityType } from '../model';
import { jsonToXml } from '../http/jsonXml';

const ROOTS: Partial<Record<EntityType, string>> = {
  job: 'Job', jobSession: 'Session', taskSession: 'TaskSession', repository: 'Repository', managedServer: 'ManagedServer',
  proxy: 'Proxy', malwareEvent: 'SuspiciousActivityEvent', bestPractice: 'BestPractice', license: 'InstalledLicense',
};

export function toXml(payload: unknown, type: EntityType): string { return jsonToXml(payload, ROOTS[type] ?? 'Item'); }
