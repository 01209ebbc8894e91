// What the overview's `data` message carries (protocol.ts OverviewData), built from every server's loaded
// sessions: the aggregation (aggregate.ts) plus the rows the webview lists. Pure (no vscode): the panel
// (index.ts) sends it, and the bench (test/bench/webview-bench.ts) draws the very same message in chromium.
import type { Entity } from '../api/model';
import { AggregateOptions, ServerInput, aggregateServer, combine, durationSec } from './aggregate';
import type { OverviewData, SessionRow, Zone } from './protocol';

export interface OverviewOptions extends Omit<AggregateOptions, 'zone' | 'attentionLimit'> {
  zone: Zone;
  /** When the data was read (ISO); the time of `now` when not given. */
  generatedAt?: string;
}

const ATTENTION_ROWS = 200;

/**
 * The data message's content. `refOf` names a row's entity for the webview (an opaque ref the panel maps
 * back; '' when it cannot be opened); it is called once per attention row, newest first.
 */
export function overviewData(inputs: ServerInput[], o: OverviewOptions, refOf: (serverKey: string, entity: Entity | undefined) => string): OverviewData {
  const ao: AggregateOptions = { ...o, attentionLimit: ATTENTION_ROWS };
  const series = inputs.map((i) => aggregateServer(i, ao));
  const ov = combine(series, ATTENTION_ROWS);
  const entities = entitiesOf(inputs, ov.attention);
  return {
    generatedAt: o.generatedAt ?? new Date(o.now).toISOString(),
    days: ov.days, zone: o.zone,
    zoneLabel: o.zone === 'user' ? o.userTimeZone : 'each server\'s own',
    total: ov.total,
    servers: series.map((s) => ({ key: s.key, name: s.name, kind: s.kind, timeZone: s.timeZone, error: s.error, buckets: s.buckets })),
    attention: ov.attention.map((a) => {
      const entity = entities.get(a.serverKey)?.get(a.key);
      return { ...sessionRow(a.serverName, entity ?? ({ key: a.key, name: a.jobName, type: 'jobSession', hasChildren: false, actions: [], ref: {} } as Entity)),
        ref: refOf(a.serverKey, entity), status: a.status, jobName: a.jobName, message: a.message };
    }),
    attentionTotal: ov.attentionTotal,
    repositories: ov.repositories.map((r) => ({ ...r, ref: '' })),
    warnPercent: o.warnPercent,
    totals: ov.totals,
  };
}

/** The entities of the rows shown, by server and key (the last with that key, as a map of them all would give). */
function entitiesOf(inputs: ServerInput[], rows: { serverKey: string; key: string }[]): Map<string, Map<string, Entity>> {
  const wanted = new Map<string, Set<string>>();
  for (const r of rows) { let s = wanted.get(r.serverKey); if (!s) { s = new Set(); wanted.set(r.serverKey, s); } s.add(r.key); }
  const out = new Map<string, Map<string, Entity>>();
  for (const i of inputs) {
    const keys = wanted.get(i.key);
    if (!keys) { continue; }
    const found = new Map<string, Entity>();
    for (const e of i.sessions ?? []) { if (keys.has(e.key)) { found.set(e.key, e); } }
    out.set(i.key, found);
  }
  return out;
}

/** One session as a row of a list in the webview (the ref is the panel's). */
export function sessionRow(serverName: string, e: Entity): Omit<SessionRow, 'ref'> {
  return {
    serverName, jobName: e.jobName ?? e.name, name: e.name, status: e.status ?? 'unknown', startedAt: e.startedAt, endedAt: e.endedAt,
    durationSec: e.status === 'running' ? undefined : durationSec(e), transferredBytes: e.metrics?.transferredBytes,
    message: e.message ?? (e.status === 'failed' || e.status === 'warning' ? e.description : undefined),
  };
}
