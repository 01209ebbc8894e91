// EM speaks XML first. One parser configured for it, helpers to read the parsed shape, and a
// re-indenter for documents the server sent on one line (it never re-serializes anything).
import { XMLParser } from 'fast-xml-parser';

export type Obj = Record<string, unknown>;

/** Elements that are list items: one child must still give an array. */
const LIST_ITEMS = new Set([
  'Ref', 'Link', 'SupportedVersion', 'BackupServer', 'Job', 'Repository', 'BackupJobSession', 'ReplicaJobSession',
  'BackupTaskSession', 'ReplicaTaskSession', 'RestoreSession', 'Task', 'ManagedServer', 'Backup', 'Replica',
]);

/**
 * Namespace prefixes are removed as the parser's removeNSPrefix removes them (a tag up to its first colon,
 * an attribute a:b → b, xmlns and xmlns:* attributes dropped), without its split(':') of every attribute
 * name, twice (a tenth of the parse time on EM's attribute-heavy pages; same result).
 */
const unprefixTag = (name: string) => { const i = name.indexOf(':'); return i < 0 ? name : name.slice(i + 1); };
const unprefixAttribute = (name: string) => { const i = name.indexOf(':'); return i < 0 || name.indexOf(':', i + 1) >= 0 ? name : name.slice(i + 1); };

const parser = new XMLParser({
  ignoreAttributes: (name: string) => name === 'xmlns' || name.startsWith('xmlns:'),
  attributeNamePrefix: '',
  removeNSPrefix: false,
  transformTagName: unprefixTag,
  transformAttributeName: unprefixAttribute,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,          // ids, UIDs and names stay strings; numbers are converted where used
  parseAttributeValue: false,
  processEntities: true,         // &amp; → & in hrefs
  htmlEntities: true,            // &#x2F; &#39; as EM sends them
  trimValues: true,
  textNodeName: '#text',
  // By name only (building the path string for every tag costs ~20 % of the parse); a list
  // item at the document root (a single <Job> entity) is unwrapped in parseXml.
  isArray: (name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute && LIST_ITEMS.has(name),
  jPath: false,                  // no path string built per tag (nothing here reads it)
});

/**
 * Parse an EM XML document; returns the root element name and its content. Throws on bad XML.
 * Instead of the parser's separate validation pass (a third of the parse time on large pages),
 * the document must end with its root element's end tag, which catches truncated bodies; the
 * parser itself throws on unclosed and mismatched tags.
 */
export function parseXml(text: string): { root: string; value: Obj } {
  const doc = parser.parse(text) as Obj;
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (!root) { throw new Error('no root element'); }
  const tail = text.trimEnd();
  const last = tail.slice(tail.lastIndexOf('<'));
  const closed = new RegExp(`^</(?:[\\w.-]+:)?${root}>$`).test(last)
    || new RegExp(`^<(?:[\\w.-]+:)?${root}(?:\\s[^<]*)?/>$`).test(last);   // <Root …/> alone
  if (!closed) { throw new Error(`the document does not end with </${root}> (truncated?)`); }
  const v = Array.isArray(doc[root]) ? (doc[root] as unknown[])[0] : doc[root];
  return { root, value: v && typeof v === 'object' ? (v as Obj) : {} };
}

export function arr(v: unknown): Obj[] {
  if (v === undefined || v === null || v === '') { return []; }
  return (Array.isArray(v) ? v : [v]).filter((x): x is Obj => typeof x === 'object' && x !== null);
}

export function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** Element text or attribute value as a string ('' and missing → undefined). */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) { return undefined; }
  if (typeof v === 'object') { return text((v as Obj)['#text']); }
  const s = String(v);
  return s === '' ? undefined : s;
}

export function links(o: Obj): { Rel?: string; Href?: string; Type?: string; Name?: string }[] {
  // XML: <Links><Link/>…</Links> → { Link: [...] }; JSON: "Links": [...]
  const list = Array.isArray(o.Links) ? arr(o.Links) : arr(obj(o.Links).Link);
  return list.map((l) => ({ Rel: text(l.Rel), Href: text(l.Href), Type: text(l.Type), Name: text(l.Name) }));
}

/** Re-indent XML that arrived on one line; documents that already have line breaks are returned as they are. */
export function reindent(xml: string): string {
  const body = xml.replace(/^\uFEFF/, '');
  const firstTag = body.indexOf('<', body.startsWith('<?') ? body.indexOf('?>') + 2 : 0);
  if (firstTag < 0 || /\n\s*</.test(body.slice(firstTag))) { return body; }
  const tokens = body.match(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^>]+>|[^<]+/g) ?? [];
  let out = '';
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const pad = '  '.repeat(depth);
    if (/^<\?/.test(t)) { out += t; continue; }
    if (/^<\//.test(t)) { depth--; out += `\n${'  '.repeat(depth)}${t}`; continue; }
    if (/^</.test(t) && !/^<!/.test(t)) {
      const selfClosing = /\/>$/.test(t);
      // <Tag>text</Tag> stays on one line.
      if (!selfClosing && tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('<') && tokens[i + 2]?.startsWith('</')) {
        out += `\n${pad}${t}${tokens[i + 1]}${tokens[i + 2]}`;
        i += 2;
        continue;
      }
      out += `\n${pad}${t}`;
      if (!selfClosing) { depth++; }
      continue;
    }
    if (/^<!/.test(t)) { out += `\n${pad}${t}`; continue; }
    if (t.trim()) { out += `\n${pad}${t.trim()}`; }
  }
  return out.replace(/^\n/, '') + (body.endsWith('\n') ? '\n' : '');
}
