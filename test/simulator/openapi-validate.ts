// A small JSON-schema validator for the subset Veeam's OpenAPI 3.0 files use. Strict: properties that a schema
// does not list fail unless it has additionalProperties.
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
  writeOnly?: boolean;
}

interface MediaType { schema?: Schema }
interface Operation { responses: Record<string, { content?: Record<string, MediaType> }> }
export interface OpenApi { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

export interface ValidateOptions {
  /** "SchemaName.property" entries where null is accepted although the schema does not say nullable. */
  allowNull?: string[];
}

/** Where the specs live: $VEEAM_SPECS_DIR, else /work/shared/specs relative to out/test/<dir>. Undefined if absent. */
export function specsDir(fromDir: string): string | undefined {
  const candidates = [process.env.VEEAM_SPECS_DIR, path.resolve(fromDir, '../../../../shared/specs')];
  return candidates.find((d): d is string => !!d && fs.existsSync(path.join(d, 'vb365_rest_v8.json')));
}

export function loadSpec(dir: string, file: string): OpenApi {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OpenApi;
}

/** The response schema for path + method + status, falling back to `default`. Undefined = the spec declares no body. */
export function responseSchema(spec: OpenApi, templatePath: string, method: string, status: number): Schema | undefined {
  const op = spec.paths[templatePath]?.[method.toLowerCase()];
  if (!op) throw new Error(`spec has no ${method} ${templatePath}`);
  const resp = op.responses[String(status)] ?? op.responses.default;
  if (!resp) throw new Error(`spec has no ${status} or default response for ${method} ${templatePath}`);
  const content = resp.content;
  if (!content) return undefined;
  return (content['application/json'] ?? content['*/*'] ?? Object.values(content)[0])?.schema;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function validate(spec: OpenApi, schema: Schema, value: unknown, opts: ValidateOptions = {}): string[] {
  const errors: string[] = [];
  const allowNull = new Set(opts.allowNull ?? []);

  const deref = (s: Schema, name?: string): { s: Schema; name?: string } => {
    let seen = 0;
    while (s.$ref) {
      const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
      const next = m ? spec.components.schemas[m[1]] : undefined;
      if (!next || ++seen > 50) { errors.push(`unresolvable $ref ${s.$ref}`); return { s: {} }; }
      name = m?.[1];
      s = next;
    }
    return { s, name };
  };

  /** Properties and required lists merged across allOf. */
  const flatten = (s: Schema): { props: Record<string, Schema>; required: string[]; additional?: boolean | Schema } => {
    const out = { props: { ...s.properties }, required: [...(s.required ?? [])], additional: s.additionalProperties };
    for (const part of s.allOf ?? []) {
      const f = flatten(deref(part).s);
      Object.assign(out.props, f.props);
      out.required.push(...f.required);
      out.additional ??= f.additional;
    }
    return out;
  };

  const check = (raw: Schema, v: unknown, at: string, nullOk: boolean, inName?: string): void => {
    const { s, name } = deref(raw, inName);
    if (v === null) {
      if (!(s.nullable || raw.nullable || nullOk)) errors.push(`${at}: null is not allowed`);
      return;
    }
    if (s.oneOf || s.anyOf) {
      const alts = (s.oneOf ?? s.anyOf) as Schema[];
      const passing = alts.filter((alt) => validate(spec, alt, v, opts).length === 0).length;
      if (s.oneOf ? passing !== 1 : passing < 1) errors.push(`${at}: matches ${passing} of ${alts.length} alternatives`);
      return;
    }
    const isObjectSchema = s.type === 'object' || !!s.properties || !!s.allOf || s.additionalProperties !== undefined;
    const type = s.type ?? (isObjectSchema ? 'object' : undefined);
    switch (type) {
      case 'object':
        if (typeof v !== 'object' || Array.isArray(v)) { errors.push(`${at}: expected object`); return; }
        break;
      case 'array':
        if (!Array.isArray(v)) { errors.push(`${at}: expected array`); return; }
        if (s.items) v.forEach((x, i) => check(s.items as Schema, x, `${at}[${i}]`, false));
        return;
      case 'string':
        if (typeof v !== 'string') { errors.push(`${at}: expected string, got ${typeof v}`); return; }
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
    if (s.enum && !s.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in enum ${JSON.stringify(s.enum)}`);
    if (type !== 'object') return;
    const o = v as Record<string, unknown>;
    const f = flatten(s);
    for (const r of f.required) if (!(r in o)) errors.push(`${at}: missing required property ${r}`);
    for (const [k, x] of Object.entries(o)) {
      const ps = f.props[k];
      if (ps) {
        if (deref(ps).s.writeOnly) errors.push(`${at}.${k}: writeOnly property in a response`);
        check(ps, x, `${at}.${k}`, allowNull.has(`${name ?? '?'}.${k}`));
      } else if (f.additional && typeof f.additional === 'object') {
        check(f.additional, x, `${at}.${k}`, false);
      } else if (f.additional !== true) {
        errors.push(`${at}: property ${k} is not in the schema${name ? ` ${name}` : ''}`);
      }
    }
  };

  check(schema, value, '$', false);
  return errors;
}
