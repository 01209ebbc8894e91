// The EM query service filter grammar:
//   expr := and (',' and)*      ',' = OR
//   and  := term (';' term)*    ';' = AND (binds tighter; the docs leave it open, so clients parenthesise)
//   term := '(' expr ')' | Field Op Value      Op ∈ == != < > <= >=
//   Value := '"' ( [^"] | '""' )* '"' | [^;,()]+
// Field names are case-insensitive; dates are UTC; Result compares by index Success < Warning < Failed.
import { sessionState, taskState } from './data';
import { Rec, recName, uid } from './entities';

export type Op = '==' | '!=' | '<' | '>' | '<=' | '>=';
export type FilterNode =
  | { and: FilterNode[] } | { or: FilterNode[] }
  | { field: string; op: Op; value: string; quoted: boolean };

export class FilterSyntaxError extends Error {}

export function parseFilter(text: string): FilterNode {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i])) { i++; } };
  const fail = (what: string): never => { throw new FilterSyntaxError(`Invalid filter: ${what} at position ${i + 1}.`); };

  const expr = (): FilterNode => {
    const parts = [and()];
    for (ws(); text[i] === ','; ws()) { i++; parts.push(and()); }
    return parts.length === 1 ? parts[0] : { or: parts };
  };
  const and = (): FilterNode => {
    const parts = [term()];
    for (ws(); text[i] === ';'; ws()) { i++; parts.push(term()); }
    return parts.length === 1 ? parts[0] : { and: parts };
  };
  const term = (): FilterNode => {
    ws();
    if (text[i] === '(') {
      i++;
      const e = expr();
      ws();
      if (text[i] !== ')') { fail('expected ")"'); }
      i++;
      return e;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (!m) { fail('expected a field name'); }
    const field = m![0];
    i += field.length;
    ws();
    const op = /^(==|!=|<=|>=|<|>)/.exec(text.slice(i))?.[0] as Op | undefined;
    if (!op) { fail(`expected an operator after "${field}"`); }
    i += op!.length;
    ws();
    if (text[i] === '"') {
      i++;
      let v = '';
      for (;;) {
        if (i >= text.length) { fail('unterminated quoted value'); }
        if (text[i] === '"') {
          if (text[i + 1] === '"') { v += '"'; i += 2; continue; }
          i++;
          break;
        }
        v += text[i++];
      }
      return { field, op: op!, value: v, quoted: true };
    }
    const start = i;
    while (i < text.length && !';,()'.includes(text[i])) {
      if (text[i] === '"') { fail('unexpected quote in an unquoted value'); }
      i++;
    }
    const value = text.slice(start, i).trim();
    if (!value) { fail(`expected a value after "${field}${op}"`); }
    return { field, op: op!, value, quoted: false };
  };

  if (!text.trim()) { fail('empty filter'); }
  const root = expr();
  ws();
  if (i < text.length) { fail(`unexpected "${text[i]}"`); }
  return root;
}

type FieldKind = 'string' | 'date' | 'number' | 'result' | 'bool';
type Getter = [FieldKind, (rec: Rec, now: number) => string | number | boolean | undefined];

const RESULTS = ['success', 'warning', 'failed'];

const common: Record<string, Getter> = {
  uid: ['string', (x) => uid(x.t, x.r.id)],
  name: ['string', (x) => recName(x)],
};
const FIELDS: Record<Rec['t'], Record<string, Getter>> = {
  BackupServer: { ...common, description: ['string', (x) => (x.t === 'BackupServer' ? x.r.description : '')],
    port: ['number', (x) => (x.t === 'BackupServer' ? x.r.port : 0)], version: ['string', (x) => (x.t === 'BackupServer' ? x.r.version : '')] },
  Job: { ...common, jobtype: ['string', (x) => (x.t === 'Job' ? x.r.jobType : '')], platform: ['string', (x) => (x.t === 'Job' ? x.r.platform : '')],
    backupserveruid: ['string', (x) => (x.t === 'Job' ? uid('BackupServer', x.r.server.id) : '')],
    backupservername: ['string', (x) => (x.t === 'Job' ? x.r.server.name : '')],
    scheduleenabled: ['bool', (x) => (x.t === 'Job' ? x.r.scheduleEnabled : false)] },
  Repository: { ...common, capacity: ['number', (x) => (x.t === 'Repository' ? x.r.capacity : 0)],
    freespace: ['number', (x) => (x.t === 'Repository' ? x.r.free : 0)], kind: ['string', (x) => (x.t === 'Repository' ? x.r.kind : '')],
    backupserveruid: ['string', (x) => (x.t === 'Repository' ? uid('BackupServer', x.r.server.id) : '')],
    backupservername: ['string', (x) => (x.t === 'Repository' ? x.r.server.name : '')] },
  BackupJobSession: {}, ReplicaJobSession: {}, BackupTaskSession: {}, ReplicaTaskSession: {},
};
const sess = (x: Rec) => (x.t === 'BackupJobSession' || x.t === 'ReplicaJobSession' ? x.r : undefined);
const task = (x: Rec) => (x.t === 'BackupTaskSession' || x.t === 'ReplicaTaskSession' ? x.r : undefined);
const sessionFields: Record<string, Getter> = {
  ...common,
  creationtime: ['date', (x) => sess(x)!.start],
  endtime: ['date', (x, now) => (sessionState(sess(x)!, now).ended ? sess(x)!.end : undefined)],
  state: ['string', (x, now) => sessionState(sess(x)!, now).state],
  result: ['result', (x, now) => sessionState(sess(x)!, now).result],
  progress: ['number', (x, now) => sessionState(sess(x)!, now).progress],
  isretry: ['bool', (x) => sess(x)!.isRetry],
  jobuid: ['string', (x) => uid('Job', sess(x)!.job.id)],
  jobname: ['string', (x) => sess(x)!.job.name],
  jobtype: ['string', (x) => sess(x)!.job.jobType],
  backupserveruid: ['string', (x) => uid('BackupServer', sess(x)!.job.server.id)],
  backupservername: ['string', (x) => sess(x)!.job.server.name],
};
const taskFields: Record<string, Getter> = {
  ...common,
  creationtime: ['date', (x) => task(x)!.start],
  endtime: ['date', (x, now) => (taskState(task(x)!, now).ended ? task(x)!.end : undefined)],
  state: ['string', (x, now) => taskState(task(x)!, now).state],
  result: ['result', (x, now) => taskState(task(x)!, now).result],
  reason: ['string', (x) => task(x)!.reason],
  totalsize: ['number', (x) => task(x)!.totalSize],
  jobsessionuid: ['string', (x) => uid(task(x)!.session.kind, task(x)!.session.id)],
  jobuid: ['string', (x) => uid('Job', task(x)!.session.job.id)],
  jobname: ['string', (x) => task(x)!.session.job.name],
  backupserveruid: ['string', (x) => uid('BackupServer', task(x)!.session.job.server.id)],
  backupservername: ['string', (x) => task(x)!.session.job.server.name],
  vmdisplayname: ['string', (x) => task(x)!.vm],
};
FIELDS.BackupJobSession = FIELDS.ReplicaJobSession = sessionFields;
FIELDS.BackupTaskSession = FIELDS.ReplicaTaskSession = taskFields;

function getter(type: Rec['t'], field: string): Getter {
  const g = FIELDS[type][field.toLowerCase()];
  if (!g) { throw new FilterSyntaxError(`Invalid filter: "${field}" is not a query parameter of type ${type}.`); }
  return g;
}

function coerce(kind: FieldKind, value: string, field: string): number | string | boolean {
  switch (kind) {
    case 'date': {
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
        throw new FilterSyntaxError(`Invalid filter: "${value}" is not a date for ${field}.`);
      }
      return Date.parse(/T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || !value.includes('T') ? value : `${value}Z`);
    }
    case 'number': {
      const n = Number(value);
      if (!Number.isFinite(n)) { throw new FilterSyntaxError(`Invalid filter: "${value}" is not a number for ${field}.`); }
      return n;
    }
    case 'result': {
      const k = RESULTS.indexOf(value.toLowerCase());
      if (k < 0 && value.toLowerCase() !== 'none') { throw new FilterSyntaxError(`Invalid filter: "${value}" is not a Result value.`); }
      return k;
    }
    case 'bool': return value.toLowerCase() === 'true';
    default: return value.toLowerCase();
  }
}

export type Predicate = (rec: Rec, now: number) => boolean;

/** Compile a filter for one type; throws FilterSyntaxError for unknown fields and bad values. */
export function compileFilter(node: FilterNode, type: Rec['t']): Predicate {
  if ('and' in node) { const ps = node.and.map((n) => compileFilter(n, type)); return (r, now) => ps.every((p) => p(r, now)); }
  if ('or' in node) { const ps = node.or.map((n) => compileFilter(n, type)); return (r, now) => ps.some((p) => p(r, now)); }
  const [kind, get] = getter(type, node.field);
  const want = coerce(kind, node.value, node.field);
  return (rec, now) => {
    let have = get(rec, now);
    if (have === undefined) { return node.op === '!='; }
    if (kind === 'result') { have = RESULTS.indexOf(String(have).toLowerCase()); }
    if (kind === 'string') { have = String(have).toLowerCase(); }
    switch (node.op) {
      case '==': return have === want;
      case '!=': return have !== want;
      case '<': return have < want;
      case '>': return have > want;
      case '<=': return have <= want;
      default: return have >= want;
    }
  };
}

/** Sort by sortAsc/sortDesc=Field (keys computed once per record). */
export function sortRecs(recs: Rec[], type: Rec['t'], field: string, desc: boolean, now: number): Rec[] {
  const [kind, get] = getter(type, field);
  const key = (r: Rec): string | number => {
    const v = get(r, now);
    if (kind === 'result') { return RESULTS.indexOf(String(v).toLowerCase()); }
    if (typeof v === 'boolean') { return v ? 1 : 0; }
    return typeof v === 'string' ? v.toLowerCase() : v ?? -Infinity;
  };
  const keyed = recs.map((r) => ({ r, k: key(r) }));
  keyed.sort((a, b) => {
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
    return desc ? -c : c;
  });
  return keyed.map((x) => x.r);
}

/** The value of a top-level `Field==value` condition (alone or inside the top-level AND), if any. */
export function topLevelEquals(node: FilterNode, field: string): string | undefined {
  const parts = 'and' in node ? node.and : [node];
  for (const p of parts) {
    if ('field' in p && p.op === '==' && p.field.toLowerCase() === field.toLowerCase()) { return p.value; }
  }
  return undefined;
}
