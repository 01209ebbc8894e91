// One tree, two representations: EM XML (namespace, attributes, <Links>) and EM JSON
// (PascalCase, attributes as properties, Links arrays, list wrappers, double-nested query results).

export const NS = 'http://www.veeam.com/ent/v1.0';

export type Scalar = string | number | boolean | null | undefined;
export interface Link { Rel: string; Href: string; Type?: string; Name?: string }

/** An element with attributes, optional Links and ordered child fields. */
export interface XNode {
  tag: string;
  attrs?: [string, Scalar][];
  links?: Link[];
  /** Ordered children: a scalar element, a nested node, or a list wrapper. `undefined` values are left out. */
  fields?: [string, Scalar | XNode | XList][];
  /** Text content (only for leaf elements such as <Message>). */
  text?: string;
  /** Fields only the JSON representation carries (newer than the 2017 XSD, e.g. Repository Kind). */
  jsonExtra?: [string, Scalar][];
}

/** `<Wrapper><Item/>…</Wrapper>`; in JSON `"Wrapper": [ … ]` or, with `nested`, `{ "Wrapper": [ … ] }`. */
export interface XList { list: true; items: XNode[]; nested?: boolean }

export function list(items: XNode[], nested = false): XList { return { list: true, items, nested }; }
function isList(v: unknown): v is XList { return typeof v === 'object' && v !== null && (v as XList).list === true; }
function isNode(v: unknown): v is XNode { return typeof v === 'object' && v !== null && typeof (v as XNode).tag === 'string'; }

export function escText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrText(attrs: [string, Scalar][] | undefined): string {
  let out = '';
  for (const [k, v] of attrs ?? []) {
    if (v !== undefined && v !== null) { out += ` ${k}="${esc(String(v))}"`; }
  }
  return out;
}

function linksXml(links: Link[]): string {
  return `<Links>${links.map((l) => `<Link${attrText([['Rel', l.Rel], ['Type', l.Type], ['Href', l.Href], ['Name', l.Name]])}/>`).join('')}</Links>`;
}

function nodeXml(n: XNode, root: boolean): string {
  const ns = root ? ` xmlns="${NS}"` : '';
  let inner = n.links ? linksXml(n.links) : '';
  for (const [name, v] of n.fields ?? []) {
    if (v === undefined) { continue; }
    if (isList(v)) {
      inner += v.items.length ? `<${name}>${v.items.map((i) => nodeXml(i, false)).join('')}</${name}>` : `<${name}/>`;
    } else if (isNode(v)) {
      inner += nodeXml({ ...v, tag: name }, false);
    } else if (v === null || v === '') {
      inner += `<${name}/>`;
    } else {
      inner += `<${name}>${escText(String(v))}</${name}>`;
    }
  }
  if (n.text !== undefined) { inner += escText(n.text); }
  return inner ? `<${n.tag}${ns}${attrText(n.attrs)}>${inner}</${n.tag}>` : `<${n.tag}${ns}${attrText(n.attrs)}/>`;
}

export function toXml(n: XNode): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${nodeXml(n, true)}`;
}

export function toJsonValue(n: XNode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of n.attrs ?? []) { if (v !== undefined) { o[k] = v; } }
  if (n.links) { o.Links = n.links.map((l) => ({ Rel: l.Rel, Href: l.Href, Name: l.Name ?? null, Type: l.Type ?? null })); }
  for (const [name, v] of n.fields ?? []) {
    if (isList(v)) {
      const arr = v.items.map(toJsonValue);
      o[name] = v.nested ? { [name]: arr } : arr;
    } else if (isNode(v)) {
      o[name] = toJsonValue(v);
    } else {
      o[name] = v === undefined ? null : v;
    }
  }
  for (const [k, v] of n.jsonExtra ?? []) { o[k] = v ?? null; }
  if (n.text !== undefined) { return { ...o, Value: n.text }; }
  return o;
}

/** A top-level collection (`<Jobs>` / `<EntityReferences>`): JSON puts the items under the item key. */
export function collectionJson(n: XNode, jsonKey: string): Record<string, unknown> {
  const items = (n.fields ?? []).map(([, v]) => (isNode(v) ? toJsonValue(v) : null)).filter((x) => x !== null);
  return { [jsonKey]: items };
}

export function iso(ms: number): string { return new Date(ms).toISOString(); }
