// Enterprise Manager answer bodies: an XML body parsed (or why it is not XML) and the message of an error body.
import { VeeamError } from '../errors';
import { htmlError, stripBom } from '../http/body';
import type { HttpResponse } from '../http/transport';
import { Obj, parseXml, text } from './xml';

/** The <Error Message> (XML) or "Message" (JSON) of an error body. */
export function serverMessage(res: HttpResponse): string | undefined {
  const t = stripBom(res.text).trim();
  try {
    if (t.startsWith('{')) { return text((JSON.parse(t) as Obj).Message); }
    if (t.startsWith('<') && !/^<(!doctype html|html)/i.test(t)) {
      const doc = parseXml(t);
      return doc.root === 'Error' ? text(doc.value.Message) : undefined;
    }
  } catch { /* not an error body */ }
  return undefined;
}

/** The body as XML: an empty body, or one that is not XML (a proxy's HTML page among them), is an error. */
export function parseXmlBody(res: HttpResponse, path: string): { root: string; value: Obj } {
  const t = stripBom(res.text);
  if (!t.trim()) { throw new VeeamError('malformed', `The server returned an empty body for ${path} (HTTP ${res.status}).`, { path }); }
  try {
    if (!t.trimStart().startsWith('<')) { throw new Error('not XML'); }
    return parseXml(t);
  } catch (e) {
    throw htmlError(res, path) ?? new VeeamError('malformed',
      `The server returned a body that is not valid XML for ${path} (HTTP ${res.status}, ${t.length} bytes): ${(e as Error).message}`, { path });
  }
}
