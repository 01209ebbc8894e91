// The normalized model every server kind produces and the tree/UI consume.
// A kind (src/api/vb365, src/api/em, …) maps its API onto these shapes; nothing
// outside src/api knows a kind's wire format.

export type ServerKindId = 'vb365' | 'em';

/** One entry of the `veeam.servers` setting. */
export interface ServerDefinition {
  name: string;
  kind: ServerKindId;
  url: string;                     // https://host:port (no path)
  username: string;
  trustedCertificate?: string;     // pinned SHA-256 fingerprint
  caFile?: string;                 // PEM file of a CA to trust for this server
  apiVersion?: string;             // pin a version (vb365: 'v8'…; em: 'v1_7'…)
}

/** A stable key for a server: secrets, tree ids and caches hang off it. */
export function serverKey(def: Pick<ServerDefinition, 'url' | 'username'>): string {
  return `${def.url.replace(/\/+$/, '').toLowerCase()}|${def.username.toLowerCase()}`;
}

export type EntityStatus =
  | 'success' | 'warning' | 'failed' | 'running' | 'queued' | 'stopped' | 'idle' | 'disabled' | 'unknown';

export type EntityType =
  | 'folder' | 'organization' | 'repository' | 'job' | 'jobSession' | 'syncSession'
  | 'backupServer' | 'taskSession' | 'replicaSession' | 'backupSession';

export type ActionId = 'sync' | 'startJob' | 'openJson' | 'openXml' | 'copyId' | 'filter';

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
  /** Tooltip rows, or a function that formats them on first use (lists hold thousands, tooltips show a few). */
  details?: Detail[] | (() => Detail[]);
  progress?: Progress;
  startedAt?: string;     // ISO
  endedAt?: string;       // ISO
  hasChildren: boolean;
  actions: ActionId[];
  /** Kind-private locator the kind's client uses to fetch children, documents and actions. */
  ref: Record<string, string>;
  /** For folders that can be filtered (EM sessions): the filter currently applied. */
  filterable?: boolean;
}

/** A page of children. `next` is an opaque cursor for "Load more…". */
export interface Page {
  items: Entity[];
  next?: string;
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
  /** Log out (best effort) and release resources. */
  dispose(): Promise<void>;
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

/** A server kind: a module that can be added without touching the others. */
export interface ServerKind {
  id: ServerKindId;
  label: string;          // 'Veeam Backup for Microsoft 365'
  defaultPort: number;
  createClient(def: ServerDefinition, deps: ClientDeps): ServerClient;
}

export interface ClientDeps {
  credentials: Credentials;
  log: (entry: RequestLogEntry) => void;
  /** Settings that affect HTTP. */
  http: { timeoutMs: number; connectTimeoutMs: number; pageSize: number };
  /** PEM of a CA file read by the UI for this server (caFile), if any. */
  caPem?: string;
}

/** The tooltip rows of an entity, formatting them on first use when they were given lazily. */
export function detailsOf(e: Entity): Detail[] {
  if (typeof e.details === 'function') { e.details = e.details(); }
  return e.details ?? [];
}
