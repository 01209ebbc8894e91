// The normalized model every server kind produces and the tree/UI consume.
// A kind (src/api/vb365, src/api/em, …) maps its API onto these shapes; nothing
// outside src/api knows a kind's wire format.

/** A kind's id, as written in a server definition ("kind": "vb365"); the kinds are listed in kinds.ts. */
export type ServerKindId = string;

/** One entry of the `veeam.servers` setting. */
export interface ServerDefinition {
  name: string;
  kind: ServerKindId;
  url: string;                     // https://host:port (no path)
  username: string;
  trustedCertificate?: string;     // pinned SHA-256 fingerprint
  caFile?: string;                 // PEM file of a CA to trust for this server
  apiVersion?: string;             // pin a version (vb365: 'v8'…; em: 'v1_7'…)
  /** false: the failure watch leaves this server alone (default: watched when the watch is on). */
  watch?: boolean;
  /** IANA time zone of the server ('Europe/Berlin'), for the dashboard's "server's days" (default: from its timestamps, else UTC). */
  timeZone?: string;
}

/** A stable key for a server: secrets, tree ids and caches hang off it. */
export function serverKey(def: Pick<ServerDefinition, 'url' | 'username'>): string {
  return `${def.url.replace(/\/+$/, '').toLowerCase()}|${def.username.toLowerCase()}`;
}

export type EntityStatus =
  | 'success' | 'warning' | 'failed' | 'running' | 'queued' | 'stopped' | 'idle' | 'disabled' | 'unknown';

/**
 * An entity type, named by its kind ('repository', 'jobSession', …) and described in the kind's
 * `types`. 'folder' is the one type every kind shares: a grouping node without an id of its own.
 */
export type EntityType = string;

/** What a user can do with an entity; the commands of the same name act on entities that list them. */
export type ActionId =
  | 'sync' | 'startJob' | 'stopJob' | 'retryJob' | 'enableJob' | 'disableJob'
  | 'openJson' | 'openXml' | 'copyId' | 'filter' | 'openLog' | 'copyMessage';

export interface Progress {
  percent?: number;       // 0–100 where the API reports one
  objects?: number;       // processed objects where it reports a count
}

/** One row of a tooltip: label and already formatted value. */
export interface Detail { label: string; value: string }

export interface Entity {
  /** Unique within the server; stable across refreshes (tree ids derive from it). */
  key: string;
  type: EntityType;
  /** The API's own id (copied by "Copy ID"). Folders have none. */
  id?: string;
  name: string;
  status?: EntityStatus;
  /** Short state text, e.g. 'Running · 1,193 objects', 'Failed · 2 h ago', '820 GB free of 1 TB'. */
  description?: string;
  /**
   * Tooltip rows, or what formats them on first use (lists hold thousands, tooltips show a few): a function, or a
   * DetailSource, an object holding only the values the rows need beside the entity's own fields (smaller than a
   * closure and its context, for the sessions a tree keeps by the ten thousand).
   */
  details?: Detail[] | (() => Detail[]) | DetailSource;
  progress?: Progress;
  startedAt?: string;     // ISO
  endedAt?: string;       // ISO
  hasChildren: boolean;
  actions: ActionId[];
  /** For sessions: the job's name (the dashboard, failure watch and chat tools group by it). */
  jobName?: string;
  /** For sessions: what the dashboard charts (seconds the run took; bytes transferred). */
  metrics?: { durationSec?: number; transferredBytes?: number };
  /** For repositories: capacity and free space in bytes, where the API reports them. */
  capacity?: { totalBytes: number; freeBytes: number };
  /** The server's own message for a failed or warning result (whole text; the description shows a short form). */
  message?: string;
  /** A folder's public role ('jobs', 'repos', …): the steps of the kind's target paths name it. */
  role?: string;
  /** A codicon that overrides the type's icon (folders say what they hold). */
  icon?: string;
  /** Kind-private locator the kind's client uses to fetch children, documents and actions. Nothing outside the kind reads it. */
  ref: Record<string, string>;
}

/**
 * A page of children. `next` is an opaque cursor for "Load more…". `later`: what more about these items
 * costs further requests (EM: each job's newest session, which its Job entity lacks). The tree shows the
 * items at once, then calls `later` and shows the entities it returns in place of the items with the same key.
 */
export interface Page {
  items: Entity[];
  next?: string;
  later?: (signal?: AbortSignal) => Promise<Entity[]>;
}

/** A document the server returned, exactly as received. */
export interface RawDocument {
  contentType: 'json' | 'xml';
  text: string;
}

export interface SessionFilter {
  result?: 'Success' | 'Warning' | 'Failed';
  /** ISO lower bound of the creation time. */
  since?: string;
  until?: string;
  name?: string;   // VM or job name
}

export interface ServerClient {
  readonly definition: ServerDefinition;
  /** Reach the server and log on (TLS, version, credentials); cheap when already logged on. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Children of the server (parent undefined) or of an entity, one page at a time. */
  children(parent: Entity | undefined, cursor: string | undefined, signal?: AbortSignal, filter?: SessionFilter): Promise<Page>;
  /** Re-read one entity (used while watching running work). */
  refresh(entity: Entity, signal?: AbortSignal): Promise<Entity>;
  /** The entity's payload as the server sends it in that representation. */
  document(entity: Entity, format: 'json' | 'xml', signal?: AbortSignal): Promise<RawDocument>;
  /** Start a repository sync. Returns the sync session to watch. Never retried. */
  sync?(repository: Entity, signal?: AbortSignal): Promise<Entity>;
  /** Start a job. Returns the session (or task) to watch. Never retried. */
  startJob?(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity>;
  /** Stop a running job or session; returns the session to follow to its end, if the API names one. Never retried. */
  stopJob?(target: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity | undefined>;
  /** Retry a failed or warning job; returns the new session to watch. Never retried. */
  retryJob?(job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity>;
  /** Enable or disable a job (its schedule); returns the job as it is afterwards, if the API says. Never retried. */
  setJobEnabled?(job: Entity, enabled: boolean, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity | undefined>;
  /**
   * Job sessions (not task sessions) created in a window, newest first, at most `limit` (default 10,000):
   * each with startedAt/endedAt, status, message, jobName and metrics. For the dashboard, the failure
   * watch and the chat tools; one request per large page, never a request per job where the API can avoid it.
   */
  sessionsSince?(q: SessionQuery, signal?: AbortSignal): Promise<Entity[]>;
  /** Every repository of the server with `capacity` (for the dashboard's fill chart and the chat tools). */
  repositories?(signal?: AbortSignal): Promise<Entity[]>;
  /** The log of a job, sync or task session: every record, oldest first. */
  sessionLog?(session: Entity, signal?: AbortSignal): Promise<SessionLog>;
  /** Log out (best effort) and release resources. */
  dispose(): Promise<void>;
}

export interface SessionQuery {
  /** ISO lower bound of the creation time. */
  since: string;
  /** ISO upper bound (default now). */
  until?: string;
  limit?: number;
}

/** One record of a session log. Records can change after they appear: keep them by id. */
export interface LogLine {
  id: string;
  /** ISO start time of the record. */
  time?: string;
  status: 'success' | 'warning' | 'failed' | 'info' | 'running';
  title: string;
  /** Longer text (a reason, a description), shown on the next line. */
  detail?: string;
}

export interface SessionLog {
  lines: LogLine[];
  /** Said at the top of the document (e.g. "Enterprise Manager has no log records; these are the task sessions"). */
  note?: string;
  /** The session still runs: the log grows. */
  running: boolean;
}

/** How the client gets secrets and trust decisions from the UI without importing it. */
export interface Credentials {
  /** The stored password, or undefined when none is stored (the client then fails with kind 'auth'). */
  password(): Promise<string | undefined>;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query only, never credentials. */
  path: string;
  status?: number;
  ms: number;
  error?: string;
  /** Aborted by the extension (a refresh or shutdown), not a failure. */
  cancelled?: boolean;
  attempt?: number;
}

/** How the tree, commands and status bar treat one entity type of a kind. */
export interface EntityTypeInfo {
  /** Codicon shown when the status gives none (and always for infrastructure types, see statusIcon). */
  icon: string;
  /** Singular and plural noun for messages and pickers: ['repository', 'repositories']. */
  noun: [string, string];
  /** Show the status icon (success/failed/running…) instead of `icon`. Default true; a warning always shows. */
  statusIcon?: boolean;
  /** What an empty listing of this entity's children holds: 'synchronization sessions'. Default 'items'. */
  emptyChildren?: string;
  /** Running entities of this type are followed live while listed (status bar, tree). */
  watch?: boolean;
  /** The owner's description while this work runs: 'Syncing' → 'Syncing 42%'. Default 'Running'. */
  activity?: string;
  /** Re-read this entity when watched work under it ends (a job's last result follows its session). */
  followsChildren?: boolean;
  /** Named in confirmations when it is an ancestor: 'backup server' → "on backup server VBR01". */
  scope?: string;
}

/** One step of a target path: a folder with this role, or every entity of this type, among the children. */
export interface TargetStep { role?: string; type?: EntityType }

/** Where the command palette finds the entities an action applies to, walking the tree from the server node. */
export interface TargetPath { via: TargetStep[]; types: EntityType[] }

/** What a kind says about itself. It lives apart from the client so that activation loads no HTTP code. */
export interface KindInfo {
  id: ServerKindId;
  label: string;              // 'Veeam Backup for Microsoft 365'
  shortLabel: string;         // 'VB365'
  defaultPort: number;
  urlPlaceholder: string;     // 'https://vb365.example.com:4443'
  userPlaceholder: string;    // 'DOMAIN\\administrator'
  /** Shown when editing the pinned API version: 'e.g. v8; empty = detect'. */
  apiVersionHint: string;
  types: Record<EntityType, EntityTypeInfo>;
  /** For palette commands: where the targets of each action are. */
  targets: Partial<Record<ActionId, TargetPath>>;
}

/** A server kind: its description plus a client factory, loaded on first use. */
export interface ServerKind extends KindInfo {
  createClient(def: ServerDefinition, deps: ClientDeps): ServerClient;
}

/** The description of an entity type of a kind, with defaults for types it does not describe. */
export function typeInfo(kind: KindInfo | undefined, type: EntityType): EntityTypeInfo {
  return kind?.types[type] ?? (type === 'folder' ? FOLDER_INFO : { icon: 'circle-outline', noun: [type, `${type}s`] });
}

const FOLDER_INFO: EntityTypeInfo = { icon: 'folder', noun: ['folder', 'folders'], statusIcon: false };

export interface ClientDeps {
  credentials: Credentials;
  log: (entry: RequestLogEntry) => void;
  /** Settings that affect HTTP. */
  http: { timeoutMs: number; connectTimeoutMs: number; pageSize: number };
  /** PEM of a CA file read by the UI for this server (caFile), if any. */
  caPem?: string;
}

/** Formats an entity's tooltip rows from the entity and what the source kept. */
export interface DetailSource { rows(e: Entity): Detail[] }

/** The tooltip rows of an entity, formatting them on first use when they were given lazily. */
export function detailsOf(e: Entity): Detail[] {
  const d = e.details;
  if (typeof d === 'function') { e.details = d(); }
  else if (d && !Array.isArray(d)) { e.details = d.rows(e); }
  return (e.details as Detail[] | undefined) ?? [];
}
