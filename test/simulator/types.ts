// The contract between the simulator's parts and the tests that drive it.
// test/simulator/index.ts implements startSimulator(); the EM part lives in test/simulator/em/, VBR in test/simulator/vbr/.
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
  /** Spread each job's sessions evenly over this many days back (the overview's bench: 10,000 in 30 days). Default: a day apart (an hour apart above 1,000). */
  benchSpanDays?: number;
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
  /**
   * One finished session (the newest finished one of the first job) gets this many log records, for benchmarks
   * and paging tests (e.g. 10000); vb365Data.bigLogSession() names it. Default 0: every log is sized by its
   * session's objects (tens to thousands of records).
   */
  benchLogItems?: number;
  /** The largest page the server returns whatever `limit` asks (the documented maximum is 10,000). Default 10000. */
  maxPageSize?: number;
}

/** A job session as the simulator holds it now (vb365Data.sessions()). */
export interface SimJobSession {
  id: string;
  jobId: string;
  jobName: string;
  /** Success | Warning | Failed | Running | Stopped, as served now. */
  status: string;
  /** The `details` served now ('' unless it ended Failed or Warning). */
  message: string;
  creationTime: string;
  endTime?: string;
  transferredBytes: number;
}

/** How the next start of a job goes (vb365Data.nextRun). */
export interface SimRunPlan {
  /** How it ends. Default 'Success'. */
  status?: 'Success' | 'Warning' | 'Failed';
  /** Its `details` when it ends Failed or Warning. Default: one of the simulator's messages. */
  message?: string;
  /** How long it runs. Default Vb365Options.jobDurationMs. */
  durationMs?: number;
  /** Log records in all, spread over the run (start and end included). Default: sized by its objects. */
  logItems?: number;
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
  /** Backup and replica job sessions as the query service serves them now (started ones; replica sessions of the last 30 days), newest first. */
  sessions(): EmSimSession[];
}

/** A job session as the EM simulator serves it now (EmDataHooks.sessions()). */
export interface EmSimSession {
  id: string;
  /** The UID the API names it by (urn:veeam:BackupJobSession:…), the extension's entity id. */
  uid: string;
  kind: 'BackupJobSession' | 'ReplicaJobSession';
  jobName: string;
  /** The backup server the job belongs to. */
  server: string;
  /** Success | Warning | Failed once ended, None while it runs. */
  result: string;
  state: string;
  /** FailureMessage as served ('' while it runs). */
  message: string;
  creationTime: string;
  endTime?: string;
}

/** VBR REST revisions (x-api-version header values), newest first. 1.1-* and 1.2-* behave as 1.2, 1.3-* as 1.3. */
export type VbrRevision = '1.3-rev2' | '1.3-rev1' | '1.3-rev0' | '1.2-rev1' | '1.2-rev0' | '1.1-rev2' | '1.1-rev1' | '1.1-rev0';

export type VbrResult = 'Success' | 'Warning' | 'Failed';

export interface VbrOptions {
  /** Revisions this server accepts in x-api-version. Default: all eight VbrRevision values. */
  revisions?: VbrRevision[];
  /**
   * The 400 body for a missing or unserved x-api-version. 'spec' (default): the 1.3 spec's example
   * {"errorCode":"NotImplemented","message":"The specified API version is not supported."}; 'supported-list': what real
   * servers have said, "Bad request: Unsupported RESTAPI version. The following versions are supported: v1.2-rev1, v1.3-rev2."
   */
  versionErrorStyle?: 'spec' | 'supported-list';
  username?: string;              // default 'LAB\\administrator' (Backup Administrator: every claim)
  password?: string;              // default 'Veeam123!'
  /** A second account that may read everything but lacks StartJobs/StopJobs/EnableJobs/DisableJobs/StopSessions → 403. */
  readOnlyUser?: { username: string; password: string };
  tokenLifetimeSeconds?: number;  // access token; default 900 (expires_in)
  refreshTokenLifetimeSeconds?: number; // default 14 days; single-use, rotated on every refresh
  /** How long a session started through the API runs (Starting → Working 0→100 % → Stopped). Default 6000 ms. */
  jobDurationMs?: number;
  /** Extra finished sessions on the job "Daily VM backup", for benchmarks (e.g. 10000). Default 0. */
  benchSessions?: number;
  /** Records in the big log of one session (bigLogSessionId in the fixtures). Default 2000; e.g. 10000. */
  logRecords?: number;
  /** Every optional id / date-time / number property of every object is sent as null (client robustness). Default false. */
  nulls?: boolean;
  /** Server time zone offset: 60 (default, "(UTC+01:00) West Central Africa", Africa/Lagos), 0, 330 or -300. */
  utcOffsetMinutes?: 0 | 60 | 330 | -300;
}

export type CertMode = 'self-signed' | 'ca-signed' | 'expired' | 'wrong-host';

export interface SimulatorOptions {
  host?: string;                  // default 127.0.0.1
  vb365Port?: number;             // 0 = any free port (default)
  emPort?: number;                // 0 = any free port (default)
  vbrPort?: number;               // 0 = any free port (default)
  latencyMs?: number;             // added to every response; default 0
  cert?: CertMode;                // default 'self-signed'
  /** Sign the leaf with this CA instead of a fresh one (CA-signed modes only; kept across rotateCertificate). */
  signWith?: { certPem: string; keyPem: string };
  vb365?: Vb365Options;
  em?: EmOptions;
  vbr?: VbrOptions;
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
  | 'status'           // answer `status` with the API's own error body (RESTExceptionInfo / <Error> / VBR Error)
  | 'status-empty'     // answer `status` with an empty body
  | 'retry-after'      // 429 with Retry-After: retryAfterSeconds
  | 'html'             // `status` (default 502) with an HTML page, as a proxy would
  | 'malformed'        // 200, body that does not parse (JSON or XML)
  | 'truncated'        // 200, the real body cut in half, Content-Length matching the cut
  | 'huge'             // 200, a valid body of ~10 MB
  | 'wrong-content-type'; // 200, the real body served as text/plain

export interface FaultRule {
  kind: FaultKind;
  /** Which server: default every server. */
  server?: ServerKindName;
  method?: string;                // e.g. 'GET'; default any
  /** Substring or RegExp matched against the path + query. Default any. */
  path?: string | RegExp;
  /** Apply to the next N matching requests, then remove. Default: until cleared. */
  times?: number;
  status?: number;
  delayMs?: number;
  retryAfterSeconds?: number;
}

export type ServerKindName = 'vb365' | 'em' | 'vbr';

export interface RequestRecord {
  server: ServerKindName;
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
  vbr: Listener;
  /** Same as vbr.url (the VBR REST base URL, e.g. https://127.0.0.1:9419). */
  vbrUrl: string;
  /** The leaf certificate every listener serves. fingerprint256 as Node prints it: 'AB:CD:…'. */
  certificate: { pem: string; fingerprint256: string; subject: string; validTo: string };
  /** The CA that signed the leaf in 'ca-signed' mode (undefined otherwise). */
  caPem?: string;
  stats: SimulatorStats;
  resetStats(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  /** Invalidate every VB365 and VBR access token (refresh tokens stay valid) and every EM logon session. */
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
    repositories(): { id: string; name: string; capacityBytes: number; freeSpaceBytes: number }[];
    jobs(): { id: string; name: string; isEnabled: boolean; running: boolean }[];
    /** Delete a job session (it then 404s). */
    deleteJobSession(id: string): void;
    /** Make the next sync of this repository never finish. */
    stallSync(repositoryId: string): void;
    /** Every job session as served now, newest first. */
    sessions(): SimJobSession[];
    /** The session given Vb365Options.benchLogItems records (undefined without that option). */
    bigLogSession(): string | undefined;
    /** How many log records a job session has now (its LogItems, all pages). */
    logItemCount(sessionId: string): number;
    /** The next start of this job runs as planned (ends with that status and message after durationMs). */
    nextRun(jobId: string, plan: SimRunPlan): void;
    /** The next sync of this repository fails at 60 % with this error. */
    failSync(repositoryId: string, error: string): void;
  };
  /** Test hooks on the VBR server (see VbrHooks). */
  vbrData: VbrHooks;
  /** Test hooks on the EM data (throw when the EM simulator is not available). */
  emData: EmDataHooks;
  close(): Promise<void>;
}

/** Well-known seeded VBR objects, so tests need not search for them. */
export interface VbrFixtures {
  /** "Exchange backup": a seeded session is Working now (for hours). */
  runningJobId: string;
  /** "Legacy file server (disabled)": disabled; starting it → 400. */
  disabledJobId: string;
  /** "Empty test job": no objects, never run (lastRun null, nextRun null); 1.3 start → 204. */
  emptyJobId: string;
  /** "DR replica to site B": last result Failed (retry allowed in 1.3). */
  failedJobId: string;
  /** "SQL servers backup": last result Warning (CBT disabled). */
  warningJobId: string;
  /** "Daily VM backup": last result Success (retry refused); also carries benchSessions. */
  successJobId: string;
  /** Jobs only 1.3 revisions list (agent and file backup jobs): 404 on 1.2. */
  v13OnlyJobIds: string[];
  /** The newest finished "File share copy" session, whose log has `logRecords` records. */
  bigLogSessionId: string;
}

export interface VbrTokenState {
  passwordGrants: number;
  refreshGrants: number;
  /** Refresh attempts refused (reused, expired, unknown or revoked token). */
  refreshRejected: number;
  /** Generation of the newest refresh token: 0 after a password logon, +1 per refresh of that chain. */
  generation: number;
  liveAccessTokens: number;
  liveRefreshTokens: number;
}

export interface VbrHooks {
  jobs(): { id: string; name: string; kind: string; v13Only: boolean }[];
  fixtures(): VbrFixtures;
  /** The next session started for this job (start or retry) ends with this result (and message). */
  setNextResult(jobId: string, result: VbrResult, message?: string): void;
  /** Shorthand: the next session started (for `jobId`, or for any job) fails with a realistic error. */
  failNextSession(jobId?: string): void;
  /** The next session started for this job never finishes (Working, stuck at 42 %). */
  stallNextSession(jobId: string): void;
  /** Delete a session (it then 404s and leaves every listing). */
  deleteSession(id: string): void;
  /**
   * Every session the server holds now, newest first: `kind` 'job' for job runs (what sessionsSince counts), the
   * others for the configuration backup, the Security & Compliance Analyzer and infrastructure sessions.
   * `v13Only`: its job is listed by 1.3 revisions only (1.2 does not show the session). Times in epoch ms.
   */
  sessions(): { id: string; jobId: string; name: string; kind: 'job' | 'config' | 'analyzer' | 'infra'; creationTime: number; v13Only: boolean }[];
  tokens(): VbrTokenState;
}

/** What the core hands to each server kind's request handler (VB365 in vb365/, EM in em/, VBR in vbr/). */
export interface AppContext {
  seed: number;
  /** The listener's own base URL, e.g. https://127.0.0.1:4443, for absolute hrefs. */
  baseUrl(): string;
  /** The PEM of the certificate the listener serves now (changes with rotateCertificate). */
  certificatePem?(): string;
}

/** One server kind's request handler. The core does TLS, latency, faults and stats around it. */
export interface ServerApp {
  /** `body` is the whole request body as text (already read). */
  handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void | Promise<void>;
  expireTokens(): void;
  expireRefreshTokens?(): void;
}
