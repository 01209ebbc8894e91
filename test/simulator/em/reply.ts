// Replies of the EM app and how they are written as XML or JSON.
import type * as http from 'node:http';
import { NS, XNode, collectionJson, toJsonValue, toXml } from './repr';

export interface Reply {
  status: number;
  node?: XNode;
  /** Top-level collections: the JSON key of the item array ('Refs', 'Jobs', …). */
  jsonKey?: string;
  headers?: Record<string, string | string[]>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  500: 'InternalServerError', 501: 'NotImplemented', 503: 'ServiceUnavailable',
};

export class EmHttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers?: Record<string, string>) { super(message); }
}

export function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  // RestAPI.xsd makes @Status required; the observed JSON has "Status": null.
  return { status, headers, node: { tag: 'Error', attrs: [['Message', message], ['StatusCode', status], ['Status', STATUS_TEXT[status] ?? 'Error']] } };
}

export function wantsJson(req: http.IncomingMessage): boolean {
  return /application\/json/i.test(String(req.headers.accept ?? ''));
}

export function writeReply(req: http.IncomingMessage, res: http.ServerResponse, reply: Reply, jsonBom: boolean): void {
  for (const [k, v] of Object.entries(reply.headers ?? {})) { res.setHeader(k, v); }
  if (!reply.node) { res.writeHead(reply.status); res.end(); return; }
  let body: string;
  if (wantsJson(req)) {
    let value: unknown;
    if (reply.node.tag === 'Error') {
      const a = Object.fromEntries(reply.node.attrs ?? []);
      value = { FirstChanceExceptionMessage: null, Message: a.Message, StackTrace: null, Status: null, StatusCode: a.StatusCode };
    } else {
      value = reply.jsonKey ? collectionJson(reply.node, reply.jsonKey) : toJsonValue(reply.node);
    }
    body = (jsonBom ? '\uFEFF' : '') + JSON.stringify(value);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
  } else {
    body = toXml(reply.node);
    res.setHeader('Content-Type', 'application/xml; charset=utf-8');
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.writeHead(reply.status);
  res.end(req.method === 'HEAD' ? undefined : body);
}

export { NS };
