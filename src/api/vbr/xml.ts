// VBR speaks JSON only; "Open as XML" renders the same payload with fast-xml-parser's builder.
import { XMLBuilder } from 'fast-xml-parser';
import type { EntityType } from '../model';

const ROOTS: Partial<Record<EntityType, string>> = {
  job: 'Job', jobSession: 'Session', taskSession: 'TaskSession', repository: 'Repository', managedServer: 'ManagedServer',
  proxy: 'Proxy', malwareEvent: 'SuspiciousActivityEvent', bestPractice: 'BestPractice', license: 'InstalledLicense',
};

/** XML names cannot start with '.', a digit or '-', nor contain most punctuation ('.issued' → '_.issued'). */
function safeKeys(v: unknown): unknown {
  if (Array.isArray(v)) { return v.map(safeKeys); }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      let name = k.replace(/[^A-Za-z0-9_.-]/g, '_');
      if (!/^[A-Za-z_]/.test(name)) { name = `_${name}`; }
      if (/^xml/i.test(name)) { name = `_${name}`; }
      out[name] = val === null ? '' : safeKeys(val);
    }
    return out;
  }
  return v;
}

export function toXml(payload: unknown, type: EntityType): string {
  const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true });
  const root = ROOTS[type] ?? 'Item';
  const body = Array.isArray(payload) ? { item: safeKeys(payload) } : safeKeys(payload);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}
