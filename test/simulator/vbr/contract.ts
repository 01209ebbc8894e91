// checkRequest: does an HTTP request match an operation of an OpenAPI spec? For checking what a client sends to a
// VBR server (path template, declared query parameters and their types/enums, required headers such as x-api-version,
// bearer when the operation is secured, body content type and body schema). Spec-agnostic; used with the VBR specs.
import { resolveRef, validate, type OpenApi, type Operation, type Parameter, type Schema } from '../openapi-validate';

export interface RequestCheck {
  /** True when `errors` is empty. */
  ok: boolean;
  /** The matched operation, e.g. "GET /api/v1/jobs/{id}" (undefined when no path template matched). */
  operation?: string;
  errors: string[];
}

export type Headers = Record<string, string | string[] | undefined>;

export interface CheckRequestOptions {
  /** Compare enum values case-insensitively (VBR binds enums so; the 1.3 docs send grant_type=password against "Password"). Default true. */
  caseInsensitiveEnums?: boolean;
  /** Require `Authorization: Bearer …` on operations the spec secures. Default true. */
  requireBearer?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d+\.\d+-rev\d+$/;

interface Template { path: string; re: RegExp; names: string[]; literal: number }

const templates = new WeakMap<OpenApi, Template[]>();

function templatesOf(spec: OpenApi): Template[] {
  let t = templates.get(spec);
  if (!t) {
    t = Object.keys(spec.paths).map((p) => {
      const names: string[] = [];
      const re = new RegExp(`^${p.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => { names.push(n); return '([^/]+)'; })}$`, 'i');
      return { path: p, re, names, literal: p.replace(/\{[^}]+\}/g, '').length };
    }).sort((a, b) => a.names.length - b.names.length || b.literal - a.literal);
    templates.set(spec, t);
  }
  return t;
}

function headerOf(h: Headers, name: string): string | undefined {
  const k = Object.keys(h).find((x) => x.toLowerCase() === name.toLowerCase());
  const v = k === undefined ? undefined : h[k];
  return Array.isArray(v) ? v[0] : v;
}

/** One query/path/header value (a string) against a parameter schema. */
function checkScalar(spec: OpenApi, where: string, raw: string, schema: Schema, ci: boolean): string[] {
  const s = schema.$ref ? resolveRef(spec, schema as { $ref: string }) as Schema : schema;
  if (s.enum) {
    const hit = s.enum.some((e) => String(e) === raw || (ci && String(e).toLowerCase() === raw.toLowerCase()));
    return hit ? [] : [`${where}: ${JSON.stringify(raw)} not in enum ${JSON.stringify(s.enum)}`];
  }
  switch (s.type) {
    case 'integer': return /^-?\d+$/.test(raw) ? [] : [`${where}: expected integer, got ${JSON.stringify(raw)}`];
    case 'number': return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? [] : [`${where}: expected number, got ${JSON.stringify(raw)}`];
    case 'boolean': return /^(true|false)$/.test(raw) ? [] : [`${where}: expected true or false, got ${JSON.stringify(raw)}`];
    default:
      if (s.format === 'uuid' && !UUID.test(raw)) return [`${where}: not a uuid: ${raw}`];
      if (s.format === 'date-time' && Number.isNaN(Date.parse(raw))) return [`${where}: not a date-time: ${raw}`];
      return [];
  }
}

/** Form bodies are strings on the wire: coerce by the schema's property types before validating. */
function formObject(spec: OpenApi, schema: Schema, body: string): Record<string, unknown> {
  const s = schema.$ref ? resolveRef(spec, schema as { $ref: string }) as Schema : schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const ps = s.properties?.[k];
    const t = ps?.$ref ? (resolveRef(spec, ps as { $ref: string }) as Schema).type : ps?.type;
    out[k] = t === 'boolean' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : (t === 'integer' || t === 'number') && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out;
}

/**
 * Whether `method pathWithQuery` (a path such as "/api/v1/jobs?limit=5", or a full URL) with these headers and body
 * matches an operation of `spec`. Errors name what is wrong; they never contain header values.
 */
export function checkRequest(spec: OpenApi, method: string, pathWithQuery: string, headers: Headers = {}, body?: string, o: CheckRequestOptions = {}): RequestCheck {
  const ci = o.caseInsensitiveEnums ?? true;
  const url = new URL(pathWithQuery, 'https://client.invalid');
  const path = decodeURI(url.pathname);
  const m = method.toLowerCase();
  const errors: string[] = [];
  const hits = templatesOf(spec).map((t) => ({ t, match: t.re.exec(path) })).filter((x) => x.match);
  if (!hits.length) return { ok: false, errors: [`no path of the spec matches ${path}`] };
  const hit = hits.find((x) => (spec.paths[x.t.path] as Record<string, unknown>)[m]) ?? hits[0];
  const item = spec.paths[hit.t.path] as Record<string, Operation> & { parameters?: Parameter[] };
  const op = item[m] as Operation | undefined;
  const operation = `${method.toUpperCase()} ${hit.t.path}`;
  if (!op || typeof op !== 'object' || !op.responses) {
    const allowed = Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)).map((k) => k.toUpperCase());
    return { ok: false, operation, errors: [`${method.toUpperCase()} is not an operation of ${hit.t.path} (spec has ${allowed.join(', ')})`] };
  }
  const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveRef(spec, p));
  // Path parameters.
  hit.t.names.forEach((name, i) => {
    const p = params.find((x) => x.in === 'path' && x.name === name);
    const raw = decodeURIComponent(hit.match?.[i + 1] ?? '');
    if (p?.schema) errors.push(...checkScalar(spec, `path ${name}`, raw, p.schema, ci));
  });
  // Query parameters: declared names only (case-sensitive), repeated only for arrays, values by schema.
  const query = params.filter((x) => x.in === 'query');
  const seen = new Set<string>();
  for (const key of url.searchParams.keys()) {
    if (seen.has(key)) continue;
    seen.add(key);
    const p = query.find((x) => x.name === key);
    if (!p) {
      const near = query.find((x) => x.name.toLowerCase() === key.toLowerCase());
      errors.push(`query ${key} is not declared by ${operation}${near ? ` (did you mean ${near.name}? names are case-sensitive)` : ''}`);
      continue;
    }
    const values = url.searchParams.getAll(key);
    const schema = p.schema ?? {};
    const s = schema.$ref ? resolveRef(spec, schema as { $ref: string }) as Schema : schema;
    if (s.type === 'array') {
      values.forEach((v, i) => errors.push(...checkScalar(spec, `query ${key}[${i}]`, v, s.items ?? {}, ci)));
    } else {
      if (values.length > 1) errors.push(`query ${key} is repeated but takes one value in this revision`);
      errors.push(...checkScalar(spec, `query ${key}`, values[0], s, ci));
    }
  }
  for (const p of query) if (p.required && !url.searchParams.has(p.name)) errors.push(`missing required query ${p.name}`);
  // Header parameters (x-api-version on every VBR operation).
  for (const p of params.filter((x) => x.in === 'header')) {
    const v = headerOf(headers, p.name);
    if (v === undefined) { if (p.required) errors.push(`missing required header ${p.name}`); continue; }
    if (p.name.toLowerCase() === 'x-api-version' && !VERSION.test(v)) errors.push('header x-api-version is not in the <version>-<revision> format (e.g. 1.3-rev2)');
    else if (p.schema) errors.push(...checkScalar(spec, `header ${p.name}`, v, p.schema, ci).map((e) => e.replace(/: .*/, ': invalid value')));
  }
  // Bearer on secured operations.
  const security = op.security ?? spec.security;
  const secured = !Array.isArray(security) || security.length > 0;
  if ((o.requireBearer ?? true) && secured && !/^Bearer\s+\S+$/i.test(headerOf(headers, 'authorization') ?? '')) {
    errors.push(`${operation} needs Authorization: Bearer <access_token>`);
  }
  // Body.
  const rb = op.requestBody ? resolveRef(spec, op.requestBody) : undefined;
  const hasBody = body !== undefined && body !== '';
  if (!rb) {
    if (hasBody) errors.push(`${operation} takes no request body`);
  } else if (!hasBody) {
    if (rb.required) errors.push(`${operation} needs a request body (${Object.keys(rb.content ?? {}).join(' or ')})`);
  } else {
    const type = (headerOf(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    const media = Object.entries(rb.content ?? {}).find(([k]) => k.toLowerCase() === type);
    if (!media) errors.push(`Content-Type ${type || '(none)'} is not accepted by ${operation} (spec: ${Object.keys(rb.content ?? {}).join(', ')})`);
    else if (media[1].schema) {
      let value: unknown;
      try { value = type === 'application/x-www-form-urlencoded' ? formObject(spec, media[1].schema, body) : JSON.parse(body); } catch { errors.push('request body is not valid JSON'); }
      if (value !== undefined) {
        errors.push(...validate(spec, media[1].schema, value, { direction: 'request', caseInsensitiveEnums: ci }).map((e) => `body ${e}`));
      }
    }
  }
  return { ok: errors.length === 0, operation, errors };
}
