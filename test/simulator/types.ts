// The contract between the simulator's parts and the tests that drive it.
// test/simulator/index.ts implements startSimulator(); the EM part lives in test/simulator/em/.
import type * as http from 'node:http';

export type Vb365Version = 'v4' | 'v5' | 'v6' | 'v7' | 'v8';

export interface Vb365Options {
  /** API versions this server serves (a v8 server also serves v6 and v7). Default ['v6','v7','v8']. */
  versions?: Vb365Version[];
  username?: string;              // default 'LAB\\administrator'
  password?: string;              // default 'Veeam123!'
  tokenLifetimeSeconds?: number;  // access token; default 3600
  refreshTokenLifetimeSeconds?: number; // default 14 days
  /** Sessions per job (deterministic, seeded). Default 60 (6 jobs → 360). */
  sessionsPerJob?: number;
  /** Extra sessions on the first job, for benchmarks (e.g. 10000). Default 0. */
  benchSessions?: number;
  /** How long a repository sync takes from 0 to 100 %. Default 4000 ms. */
  syncDurationMs?: number;
  /** How long a started job session runs. Default 6000 ms. */
  jobDurationMs?: number;
  /**
   * Answer null in every nullable id, date and number field (ids, dates, numbers, sizes, counts,
   * percentages) of every entity served, as Veeam's OpenAPI allows. `_links`, paging envelopes and
   * enums are left as they are. Default false.
   */
  nulls?: boolean;
}

export interface EmOptions {
  username?: string;              // default 'LAB\\administrator'
  password?: string;              // default 'Veeam123!'
  /** Idle expiry of a logon session. Default 15 min. */
  idleTimeoutSeconds?: number;
  /** Sessions per job. Default 300. */
  sessionsPerJob?: number;
  /** Extra replica task sessions for benchmarks (e.g. 10000). Default 0. */
  benchReplicaTaskSessions?: number;
  /** How long a started job runs. Default 6000 ms; the Task goes Running → Finished in ~1 s. */
  jobDurationMs?: number;
  /** Prefix JSON bodies with a UTF-8 BOM, as real EM does. Default true. */
  jsonBom?: boolean;
  /**
   * Answer null (XML: an empty element, a missing attribute) in every id, date and number of every entity
   * and reference served: UID, JobUid, JobSessionUid, CreationTimeUTC, EndTimeUTC, NextRun, Port, Capacity,
   * FreeSpace, Progress, TotalSize. Href and Links stay (they locate the resource). Default false.
   */
  nulls?: boolean;
  /** How long a session stays "Stopping" after POST ?action=stop before it is Stopped (Failed). Default 1000 ms. */
  stopDurationMs?: number;
}

/** A job session a test adds to an EM job (EmDataHooks.addSession); it becomes the job's newest session. */
export interface EmSessionSpec {
  /** Final result. Default 'Success'. */
  result?: 'Success' | 'Warning' | 'Failed';
  /** FailureMessage of the session and Reason of its failed/warning task sessions. Default: a seeded VBR message. */
  message?: string;
  /** Task sessions (one per VM). Default 3; more than 20 get numbered names (dc01-01, …). */
  vmCount?: number;
  /** How many of the last task sessions end with `result` when it is not Success. Default 1. */
  failedVms?: number;
  /** Running: starts now and runs `durationMs` (default 60 s). Otherwise it ended `agoMs` ago (default 2 h) after `durationMs` (default 10 min). */
  running?: boolean;
  durationMs?: number;
  agoMs?: number;
}

/** Test hooks on the EM simulator's data (ids are the GUIDs of the hrefs; `uid` the urn:veeam: UIDs). */
export interface EmDataHooks {
  jobs(): { id: string; uid: string; name: string; server: string; jobType: string; scheduleEnabled: boolean; running: boolean;
    /** Result of the newest session that has started ('None' while it runs). */
    lastResult?: string }[];
  /** Add a session to a job (by GUID or UID): a failed one with a message, a running one to stop, one with many task sessions. */
  addSession(jobId: string, spec: EmSessionSpec): { id: string; uid: string };
  /** Set a job's ScheduleEnabled directly (what toggleScheduleEnabled flips). */
  setScheduleEnabled(jobId: string, enabled: boolean): void;
  /** Backup and replica job sessions created in [since, until] (ms) that the query service serves. */
  countSessions(since: number, until?: number): number;
  repositories(): { id: string; uid: string; name: string; server: string; capacity: number; free: number }[];
}

export type CertMode = 'self-signed' | 'ca-signed' | 'expired' | 'wrong-host';

export interface SimulatorOptions {
  host?: string;                  // default 127.0.0.1
  vb365Port?: number;             // 0 = any free port (default)
  emPort?: number;                // 0 = any free port (default)
  latencyMs?: number;             // added to every response; default 0
  cert?: CertMode;                // default 'self-signed'
  /** Sign the leaf with this CA instead of a fresh one (CA-signed modes only; kept across rotateCertificate). */
  signWith?: { certPem: string; keyPem: string };
  vb365?: Vb365Options;
  em?: EmOptions;
  /** Random seed for the generated data; the same seed gives the same data. Default 42. */
  seed?: number;
  /** Log one line per request to stderr. Default false. */
  verbose?: boolean;
  /** Called once per request when its response is finished (or the socket closed), with the complete record. */
  onRequestDone?: (rec: RequestRecord) => void;
}

export type FaultKind =
  | 'delay'            // wait delayMs before answering normally
  | 'hang'             // never answer (until the client gives up)
  | 'reset'            // destroy the socket after writing part of the body
  | 'status'           // answer `status` with the API's own error body (RESTExceptionInfo / <Error>)
  | 'status-empty'     // answer `status` with an empty body
  | 'retry-after'      // 429 with Retry-After: retryAfterSeconds
  | 'html'             // `status` (default 502) with an HTML page, as a proxy would
  | 'malformed'        // 200, body that does not parse (JSON or XML)
  | 'truncated'        // 200, the real body cut in half, Content-Length matching the cut
  | 'huge'             // 200, a valid body of ~10 MB
  | 'wrong-content-type'; // 200, the real body served as text/plain

export interface FaultRule {
  kind: FaultKind;
  /** Which server: default both. */
  server?: 'vb365' | 'em';
  method?: string;                // e.g. 'GET'; default any
  /** Substring or RegExp matched against the path + query. Default any. */
  path?: string | RegExp;
  /** Apply to the next N matching requests, then remove. Default: until cleared. */
  times?: number;
  status?: number;
  delayMs?: number;
  retryAfterSeconds?: number;
}

export interface RequestRecord {
  server: 'vb365' | 'em';
  method: string;
  path: string;                   // path + query
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  /** POST requests only: the response headers as sent (names lower-case). */
  responseHeaders?: http.OutgoingHttpHeaders;
  /** POST requests only: the response body as text, at most the first 64 KB. */
  responseBody?: string;
}

export interface SimulatorStats {
  requests: number;
  /** POST count per path without query, e.g. { '/v8/BackupRepositories/<id>/Sync': 1 }. */
  posts: Record<string, number>;
  totalPosts: number;
  log: RequestRecord[];           // last 2000 requests
}

export interface Listener {
  url: string;                    // e.g. https://127.0.0.1:4443
  port: number;
}

export interface Simulator {
  vb365: Listener;
  em: Listener;
  /** The leaf certificate both listeners serve. fingerprint256 as Node prints it: 'AB:CD:…'. */
  certificate: { pem: string; fingerprint256: string; subject: string; validTo: string };
  /** The CA that signed the leaf in 'ca-signed' mode (undefined otherwise). */
  caPem?: string;
  stats: SimulatorStats;
  resetStats(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Invalidate every VB365 access token (refresh tokens stay valid) and every EM logon session. */
  expireTokens(): void;
  /** Invalidate refresh tokens too (forces a password login). */
  expireRefreshTokens(): void;
  /** Stop listening (keep state); start() again on the same ports. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Replace the certificate (new key, new fingerprint) while running. */
  rotateCertificate(mode?: CertMode): Promise<void>;
  /** Test hooks on the seeded data. */
  vb365Data: {
    repositories(): { id: string; name: string }[];
    jobs(): { id: string; name: string }[];
    /** Delete a job session (it then 404s). */
    deleteJobSession(id: string): void;
    /** Make the next sync of this repository never finish. */
    stallSync(repositoryId: string): void;
  };
  /** Test hooks on the EM data (throw when the EM simulator is not available). */
  emData: EmDataHooks;
  close(): Promise<void>;
}

/** What the core hands to each server kind's request handler (VB365 in vb365/, EM in em/). */
export interface AppContext {
  seed: number;
  /** The listener's own base URL, e.g. https://127.0.0.1:4443, for absolute hrefs. */
  baseUrl(): string;
}

/** One server kind's request handler. The core does TLS, latency, faults and stats around it. */
export interface ServerApp {
  /** `body` is the whole request body as text (already read). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void | Promise<void>;
  expireTokens(): void;
  expireRefreshTokens?(): void;
}
