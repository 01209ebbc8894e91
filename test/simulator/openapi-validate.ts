// A small JSON-schema validator for the subset Veeam's OpenAPI 3.0 files use. Strict: properties that a schema
// does not list fail unless it has additionalProperties. Polymorphic bases (`oneOf` + `discriminator`, whose children
// `allOf` the base again: 41 in VBR 1.2-rev1, 63 in 1.3-rev2) are dispatched on the discriminator value instead of
// trying every alternative, so they neither recurse through the cycle nor match two look-alike children.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  writeOnly?: boolean;
  default?: unknown;
}

export interface MediaType { schema?: Schema }
export interface Parameter { $ref?: string; name: string; in: 'query' | 'header' | 'path' | 'cookie'; required?: boolean; schema?: Schema }
export interface ResponseObject { $ref?: string; content?: Record<string, MediaType> }
export interface Operation {
  parameters?: Parameter[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, MediaType> };
  responses: Record<string, ResponseObject>;
  security?: unknown[];
}
export interface OpenApi {
  info?: { version?: string };
  paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }>;
  components: { schemas: Record<string, Schema>; responses?: Record<string, ResponseObject>; parameters?: Record<string, Parameter> };
  security?: unknown[];
}

export interface ValidateOptions {
  /** "SchemaName.property" entries where null is accepted although the schema does not say nullable. */
  allowNull?: string[];
  /** "SchemaName.property=value" entries where a value outside the enum is accepted. */
  allowEnum?: string[];
  /** Accept null for any property the schema does not list as required (the simulator's "nulls" mode). */
  nullableOptional?: boolean;
  /** Counts each use of an allowNull / allowEnum entry (key: the entry) and of nullableOptional (key: "optional:Schema.prop"). */
  used?: Map<string, number>;
  /** 'request': writeOnly properties are fine and enum strings compare case-insensitively if `caseInsensitiveEnums`. */
  direction?: 'request' | 'response';
  caseInsensitiveEnums?: boolean;
}

/** Where the specs live: $VEEAM_SPECS_DIR, else /work/shared/specs relative to out/test/<dir>. Undefined if absent. */
export function specsDir(fromDir: string, probe = 'vb365_rest_v8.json'): string | undefined {
  const candidates = [process.env.VEEAM_SPECS_DIR, path.resolve(fromDir, '../../../../shared/specs')];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, probe)));
}

export function loadSpec(dir: string, file: string): OpenApi {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OpenApi;
}

/** Follows `#/components/<kind>/<name>` references (responses, parameters, request bodies). */
export function resolveRef<T extends { $ref?: string }>(spec: OpenApi, o: T): T {
  let cur = o;
  for (let i = 0; cur.$ref && i < 20; i++) {
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(cur.$ref);
    const next = m ? (spec.components as unknown as Record<string, Record<string, T> | undefined>)[m[1]]?.[m[2]] : undefined;
    if (!next) throw new Error(`unresolvable $ref ${cur.$ref}`);
    cur = next;
  }
  return cur;
}

/** The response schema for path + method + status, falling back to `default`. Undefined = the spec declares no body. */
export function responseSchema(spec: OpenApi, templatePath: string, method: string, status: number): Schema | undefined {
  const op = spec.paths[templatePath]?.[method.toLowerCase()] as Operation | undefined;
  if (!op) throw new Error(`spec has no ${method} ${templatePath}`);
  const raw = op.responses[String(status)] ?? op.responses.default;
  if (!raw) throw new Error(`spec has no ${status} or default response for ${method} ${templatePath}`);
  const content = resolveRef(spec, raw).content;
  if (!content) return undefined;
  return (content['application/json'] ?? content['*/*'] ?? Object.values(content)[0])?.schema;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function validate(spec: OpenApi, schema: Schema, value: unknown, opts: ValidateOptions = {}): string[] {
  const allowNull = new Set(opts.allowNull ?? []);
  const allowEnum = new Set(opts.allowEnum ?? []);
  const use = (key: string): void => { opts.used?.set(key, (opts.used.get(key) ?? 0) + 1); };

  const deref = (s: Schema, name?: string): { s: Schema; name?: string; error?: string } => {
    let seen = 0;
    while (s.$ref) {
      const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
      const next = m ? spec.components.schemas[m[1]] : undefined;
      if (!next || ++seen > 50) return { s: {}, error: `unresolvable $ref ${s.$ref}` };
      name = m?.[1];
      s = next;
    }
    return { s, name };
  };

  /** Properties and required lists merged across allOf (a base's oneOf/discriminator is not followed here). */
  const flatten = (s: Schema, depth = 0): { props: Record<string, Schema>; required: string[]; additional?: boolean | Schema } => {
    const out = { props: { ...s.properties }, required: [...(s.required ?? [])], additional: s.additionalProperties };
    if (depth > 20) return out;
    for (const part of s.allOf ?? []) {
      const f = flatten(deref(part).s, depth + 1);
      out.props = { ...f.props, ...out.props };
      out.required.push(...f.required);
      out.additional ??= f.additional;
    }
    return out;
  };

  const run = (raw: Schema, v: unknown, at: string, nullOk: boolean, inName?: string): string[] => {
    const errors: string[] = [];
    const check = (r: Schema, x: unknown, where: string, ok: boolean, n?: string): void => { errors.push(...run(r, x, where, ok, n)); };
    const d = deref(raw, inName);
    if (d.error) return [d.error];
    const { s, name } = d;
    if (v === null) {
      if (!(s.nullable || raw.nullable || nullOk)) errors.push(`${at}: null is not allowed`);
      return errors;
    }
    if (s.oneOf && s.discriminator) {
      const prop = s.discriminator.propertyName;
      const tag = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[prop] : undefined;
      if (typeof tag !== 'string') return [`${at}: missing discriminator ${prop}${name ? ` of ${name}` : ''}`];
      const target = s.discriminator.mapping?.[tag] ?? (spec.components.schemas[tag] ? `#/components/schemas/${tag}` : undefined);
      if (!target) return [`${at}.${prop}: ${JSON.stringify(tag)} is not a mapped ${name ?? 'discriminator'} value`];
      check({ $ref: target }, v, at, nullOk);
      return errors;
    }
    if (s.oneOf || s.anyOf) {
      const { oneOf, anyOf, ...rest } = s;
      const alts = (oneOf ?? anyOf) as Schema[];
      const own = rest.properties || rest.allOf || rest.required;
      const passing = alts.filter((alt) => run(own ? { ...rest, allOf: [...(rest.allOf ?? []), alt] } : alt, v, at, nullOk).length === 0).length;
      if (oneOf ? passing !== 1 : passing < 1) errors.push(`${at}: matches ${passing} of ${alts.length} alternatives${name ? ` of ${name}` : ''}`);
      return errors;
    }
    const isObjectSchema = s.type === 'object' || !!s.properties || !!s.allOf || s.additionalProperties !== undefined;
    const type = s.type ?? (isObjectSchema ? 'object' : undefined);
    switch (type) {
      case 'object':
        if (typeof v !== 'object' || Array.isArray(v)) return [`${at}: expected object`];
        break;
      case 'array':
        if (!Array.isArray(v)) return [`${at}: expected array`];
        if (s.items) v.forEach((x, i) => check(s.items as Schema, x, `${at}[${i}]`, false));
        return errors;
      case 'string':
        if (typeof v !== 'string') return [`${at}: expected string, got ${typeof v}`];
        if (s.format === 'uuid' && !UUID.test(v)) errors.push(`${at}: not a uuid: ${v}`);
        if (s.format === 'date-time' && (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v)))) errors.push(`${at}: not a date-time: ${v}`);
        break;
      case 'integer':
        if (!Number.isInteger(v)) errors.push(`${at}: expected integer, got ${JSON.stringify(v)}`);
        break;
      case 'number':
        if (typeof v !== 'number') errors.push(`${at}: expected number`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') errors.push(`${at}: expected boolean`);
        break;
      default: break;
    }
    if (s.enum && !s.enum.includes(v)) {
      const ci = opts.caseInsensitiveEnums && typeof v === 'string'
        && s.enum.some((e) => typeof e === 'string' && e.toLowerCase() === v.toLowerCase());
      const key = `${inName ?? '?'}=${String(v)}`;
      if (allowEnum.has(key)) use(key);
      else if (!ci) errors.push(`${at}: ${JSON.stringify(v)} not in enum ${JSON.stringify(s.enum)}`);
    }
    if (type !== 'object') return errors;
    const o = v as Record<string, unknown>;
    const f = flatten(s);
    for (const r of f.required) if (!(r in o)) errors.push(`${at}: missing required property ${r}`);
    for (const [k, x] of Object.entries(o)) {
      const ps = f.props[k];
      const owner = `${name ?? '?'}.${k}`;
      if (ps) {
        if (opts.direction !== 'request' && deref(ps).s.writeOnly) errors.push(`${at}.${k}: writeOnly property in a response`);
        let ok = false;
        if (x === null && !deref(ps).s.nullable) {
          if (allowNull.has(owner)) { ok = true; use(owner); }
          else if (opts.nullableOptional && !f.required.includes(k)) { ok = true; use(`optional:${owner}`); }
        }
        check(ps, x, `${at}.${k}`, ok, owner);
      } else if (f.additional && typeof f.additional === 'object') {
        check(f.additional, x, `${at}.${k}`, false);
      } else if (f.additional !== true) {
        errors.push(`${at}: property ${k} is not in the schema${name ? ` ${name}` : ''}`);
      }
    }
    return errors;
  };

  return run(schema, value, '$', false);
}
