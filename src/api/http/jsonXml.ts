// "Open as XML" for the kinds that speak JSON only (VB365, VBR): the payload rendered with
// fast-xml-parser's builder under a root element the kind names.
import { XMLBuilder } from 'fast-xml-parser';

/** XML names cannot start with '.', a digit, '-' or 'xml', nor contain most punctuation ('.issued' → '_.issued'). */
function safeKeys(v: unknown): unknown {
  if (Array.isArray(v)) { return v.map(safeKeys); }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      let name = k.replace(/[^A-Za-z0-9_.-]/g, '_');
      if (!/^[A-Za-z_]/.test(name) || /^xml/i.test(name)) { name = `_${name}`; }
      out[name] = val === null ? '' : safeKeys(val);
    }
    return out;
  }
  return v;
}

export function jsonToXml(payload: unknown, root: string): string {
  const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: true });
  const body = Array.isArray(payload) ? { item: safeKeys(payload) } : safeKeys(payload);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: body }) as string}`;
}
