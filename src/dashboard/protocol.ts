// The messages between the overview panel (src/dashboard/index.ts) and its webview (webview/main.ts):
// one module for both sides. Everything is plain JSON; entities never cross — a row carries an opaque
// `ref` that only the extension can map back to a server and an entity.
import type { DayBucket, RepositoryRow, ServerSeries } from './aggregate';

export const VIEW_TYPE = 'veeam.dashboard';
export const PROTOCOL_VERSION = 1;

export type Section = 'results' | 'duration' | 'repositories' | 'attention' | 'running';
export type Zone = 'user' | 'server';
export const DAY_CHOICES = [7, 14, 30] as const;
export type Days = (typeof DAY_CHOICES)[number];

/** What the webview keeps with setState (and the serializer gets back after a reload). */
export interface PanelState {
  v: number;
  /** One server's key, or undefined for every server. */
  serverKey?: string;
  days: Days;
  perServer: boolean;
  zone: Zone;
  /** Sections shown as tables instead of charts. */
  tables: Section[];
}

export const DEFAULT_STATE: PanelState = { v: PROTOCOL_VERSION, days: 7, perServer: false, zone: 'user', tables: [] };

export interface ServerStatus {
  key: string;
  name: string;
  kind: string;
  state: 'waiting' | 'loading' | 'done' | 'error' | 'cancelled';
  error?: string;
  /** Sessions read (done). */
  sessions?: number;
  /** The server holds more sessions in the window than were read. */
  truncated?: boolean;
}

export interface SessionRow {
  ref: string;
  serverName: string;
  jobName: string;
  name: string;
  status: string;
  startedAt?: string;
  endedAt?: string;
  durationSec?: number;
  transferredBytes?: number;
  message?: string;
}

export interface AttentionItem extends SessionRow { status: 'failed' | 'warning' }

/** What the webview draws of a server: its chart fields of ServerSeries (aggregate.ts). */
export type ServerChart = Pick<ServerSeries, 'key' | 'name' | 'kind' | 'timeZone' | 'error' | 'buckets'>;

export interface RunningRow {
  ref: string;
  serverName: string;
  label: string;
  noun: string;
  percent?: number;
  progress: string;
  note?: string;
}

export interface OverviewData {
  generatedAt: string;
  days: string[];
  zone: Zone;
  /** The zone named in the heading ('Europe/Berlin', or 'each server's own'). */
  zoneLabel: string;
  total: DayBucket[];
  servers: ServerChart[];
  attention: AttentionItem[];
  attentionTotal: number;
  repositories: (RepositoryRow & { ref: string })[];
  warnPercent: number;
  totals: { sessions: number; success: number; warning: number; failed: number; running: number; other: number };
}

/** Extension → webview. */
export type ToWebview =
  | { type: 'init'; state: PanelState; title: string; servers: ServerStatus[] }
  | { type: 'progress'; servers: ServerStatus[]; loading: boolean }
  | { type: 'data'; data: OverviewData; partial: boolean }
  | { type: 'running'; rows: RunningRow[] }
  | { type: 'daySessions'; day: string; serverKey?: string; rows: SessionRow[]; total: number }
  | { type: 'focus'; section: Section };

/** What the webview reports after drawing (tests assert it; nothing else depends on it). */
export interface RenderedReport {
  /** generatedAt of the data drawn (undefined: none yet). */
  dataAt?: string;
  days: number;
  /** Bar segments drawn per day in the results chart (all servers together), e.g. { '2026-03-10': { success: 3, … } }. */
  counts: Record<string, { success: number; warning: number; failed: number }>;
  bars: number;
  repositories: number;
  attention: number;
  running: number;
  errors: string[];
  theme: string;
}

/** Webview → extension. */
export type ToExtension =
  | { type: 'ready'; state: PanelState }
  | { type: 'setState'; state: PanelState; reload: boolean }
  | { type: 'refresh' }
  | { type: 'cancel' }
  | { type: 'day'; day: string; serverKey?: string }
  | { type: 'openLog'; ref: string }
  | { type: 'reveal'; ref: string }
  | { type: 'rendered'; report: RenderedReport };

export function isToExtension(m: unknown): m is ToExtension {
  return !!m && typeof m === 'object' && typeof (m as { type?: unknown }).type === 'string';
}

/** A state read back from storage or the webview, with every field checked. */
export function cleanState(s: unknown): PanelState {
  const o = (s && typeof s === 'object' ? s : {}) as Partial<PanelState>;
  const days = DAY_CHOICES.includes(o.days as Days) ? (o.days as Days) : DEFAULT_STATE.days;
  const sections: Section[] = ['results', 'duration', 'repositories', 'attention', 'running'];
  return {
    v: PROTOCOL_VERSION,
    serverKey: typeof o.serverKey === 'string' && o.serverKey ? o.serverKey : undefined,
    days, perServer: o.perServer === true, zone: o.zone === 'server' ? 'server' : 'user',
    tables: Array.isArray(o.tables) ? o.tables.filter((t): t is Section => sections.includes(t as Section)) : [],
  };
}
