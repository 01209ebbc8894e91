// Failure and warning messages, and job session logs (GET /vN/JobSessions/{id}/LogItems).
//
// A session's log is generated from its id (deterministic per seed) and laid on its timeline: record k starts at a
// fixed time, so a running session's log grows as the clock passes those times, and the record that is being
// processed reads "Running" until the next one starts, then turns into Success, Warning or Error (its id stays).
// Records never move or change once finished. A stop ends the log at the stop time. Nothing runs in the background.
import { hashString, Rng, sessionState, type JobSession } from './data';

export type LogType = 'Running' | 'Warning' | 'Error' | 'Success' | 'Stop';

export interface LogItemData { id: string; usn: number; type: LogType; text: string; creationTime: number; endTime: number }

const TENANT = 'contoso.onmicrosoft.com';
const OBJECTS = [
  { kind: 'mailbox', name: `finance@${TENANT}` }, { kind: 'mailbox', name: `adele.vance@${TENANT}` },
  { kind: 'mailbox', name: `alex.wilber@${TENANT}` }, { kind: 'mailbox', name: `megan.bowen@${TENANT}` },
  { kind: 'mailbox', name: `helpdesk@${TENANT}` }, { kind: 'site', name: 'https://contoso.sharepoint.com/sites/Marketing' },
  { kind: 'site', name: 'https://contoso.sharepoint.com/sites/Retail' }, { kind: 'OneDrive', name: `diego.siciliani@${TENANT}` },
  { kind: 'OneDrive', name: `lynne.robbins@${TENANT}` }, { kind: 'team', name: 'Retail' }, { kind: 'team', name: 'Mark 8 Project Team' },
] as const;

/** What a failed session's `details` says (one is chosen per session from its id). Some run over one line or sentence. */
export const FAILURE_MESSAGES = [
  'Mailbox quota exceeded',
  `Failed to process mailbox finance@${TENANT}: The remote server returned an error: (503) Server Unavailable.`,
  'Connection to the organization was lost. Unable to connect to the remote server: the operation has timed out.',
  `Processing site https://contoso.sharepoint.com/sites/Marketing failed: Access denied. You do not have permission to perform this action or access this resource.`,
  `Failed to process team Retail: Exchange Web Services request failed.\nThe request failed. The underlying connection was closed: An unexpected error occurred on a send.`,
  'Backup repository Local Repo is out of free space (0 B free of 1005 GB). Free up space or extend the repository.',
];

/** What a warning session's `details` says. */
export const WARNING_MESSAGES = [
  'Item was skipped: item size exceeds 150 MB',
  `Processing mailbox adele.vance@${TENANT} finished with warning: 3 items were skipped (item size exceeds 150 MB).`,
  'Microsoft 365 throttled the requests of 12 mailboxes; processing was slowed down. Consider adding backup applications to the organization.',
  `OneDrive diego.siciliani@${TENANT}: 2 files were skipped because they are checked out.`,
];

/** The details of a session that ends in `status` (seeded by its id; '' for Success and Stopped). */
export function sessionMessage(id: string, status: string): string {
  const r = new Rng(hashString(`${id}:details`));
  if (status === 'Failed') return r.pick(FAILURE_MESSAGES);
  if (status === 'Warning') return r.pick(WARNING_MESSAGES);
  return '';
}

/** One record every 1.5 s for the seeded sessions that run until stopped. */
const OPEN_ENDED_STEP_MS = 1500;

/** Planned records of a session with an end: tens for small runs, thousands for large ones; `logItems` overrides it. */
export function plannedLogSize(s: JobSession): number {
  return Math.max(3, s.logItems ?? Math.min(3000, 10 + Math.floor(s.objects / 2)));
}

const iso = (t: number): string => new Date(t).toISOString();
const hex8 = (r: Rng): string => Math.floor(r.float() * 0x1_0000_0000).toString(16).padStart(8, '0');
/** A version-4-shaped GUID from four draws (Rng.guid draws 34; a 10,000-record log is generated per request). */
function fastGuid(r: Rng): string {
  const a = hex8(r); const b = hex8(r); const c = hex8(r); const d = hex8(r);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${'89ab'[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

/**
 * An ended session's log no longer changes: the last few generated are kept (a 10,000-record log is read page by
 * page, each page a request). Kept on the session itself, with the seed and end time it was made for.
 */
const kept: JobSession[] = [];
const KEEP = 16;
const cache = new WeakMap<JobSession, { seed: number; cut: number; items: LogItemData[] }>();

/** The session's log at `now`, oldest first (usn ascending). */
export function logItems(s: JobSession, now: number, seed: number): LogItemData[] {
  const st = sessionState(s, now);
  if (st.endTime === null) return generate(s, now, seed);
  const hit = cache.get(s);
  if (hit && hit.seed === seed && hit.cut === st.endTime) return hit.items.slice();
  const items = generate(s, now, seed);
  cache.set(s, { seed, cut: st.endTime, items });
  kept.push(s);
  if (kept.length > KEEP) cache.delete(kept.shift() as JobSession);
  return items.slice();
}

function generate(s: JobSession, now: number, seed: number): LogItemData[] {
  const st = sessionState(s, now);
  const r = new Rng((seed ^ hashString(s.id)) >>> 0);
  const ended = st.status !== 'Running';
  const cut = st.endTime ?? now;
  const bounded = s.plannedEnd !== null;
  const n = bounded ? plannedLogSize(s) : Infinity;
  const span = bounded ? (s.plannedEnd as number) - s.creationTime : 0;
  const startOf = (k: number): number => bounded ? s.creationTime + Math.floor(span * k / (n - 1)) : s.creationTime + k * OPEN_ENDED_STEP_MS;
  const final = st.status;
  const message = s.message ?? sessionMessage(s.id, s.finalStatus);
  // The record that carries the session's own message (failed and warning runs): the last processing record.
  const carrier = bounded && (s.finalStatus === 'Failed' || s.finalStatus === 'Warning') ? n - 2 : -1;
  const items: LogItemData[] = [];
  const push = (type: LogType, text: string, t: number, end: number): void => {
    items.push({ id: fastGuid(r), usn: items.length + 1, type, text, creationTime: t, endTime: end });
  };
  push('Success', `Job started at ${iso(s.creationTime)}`, s.creationTime, s.creationTime);
  for (let k = 1; bounded ? k < n - 1 : true; k++) {
    // Every record draws the same numbers whether it is shown, running or finished: the log stays stable.
    const obj = r.pick(OBJECTS);
    const count = r.int(1, 900);
    const bytes = count * r.int(8_000, 120_000);
    const roll = r.float();
    const id = fastGuid(r);
    const t = startOf(k);
    if (t > cut) break;
    const next = startOf(k + 1);
    const done = next <= cut; // the next record has started (or the run ended at its planned end)
    let type: LogType;
    let text: string;
    if (!done && !ended) {
      type = 'Running';
      text = `Processing ${obj.kind} ${obj.name}...`;
    } else if (!done) {
      type = 'Stop';
      text = `Processing of ${obj.kind} ${obj.name} was stopped`;
    } else if (k === carrier) {
      type = s.finalStatus === 'Failed' ? 'Error' : 'Warning';
      text = message;
    } else if (s.finalStatus === 'Failed' && roll < 0.03) {
      type = 'Error';
      text = `Failed to process ${obj.kind} ${obj.name}: The remote server returned an error: (503) Server Unavailable.\nThe object will be processed again on the next run.`;
    } else if ((s.finalStatus === 'Warning' || s.finalStatus === 'Failed') && roll < 0.08) {
      type = 'Warning';
      text = `Processing ${obj.kind} ${obj.name} finished with warning: Item was skipped: item size exceeds 150 MB`;
    } else {
      type = 'Success';
      text = `Processing ${obj.kind} ${obj.name}: ${count} items processed (${mb(bytes)})`;
    }
    items.push({ id, usn: items.length + 1, type, text, creationTime: t, endTime: done ? Math.min(next, cut) : now });
  }
  if (ended) {
    const end = cut;
    if (final === 'Stopped') push('Stop', `Job was stopped by user at ${iso(end)}`, end, end);
    else if (final === 'Failed') push('Error', `Job finished with error at ${iso(end)}`, end, end);
    else if (final === 'Warning') push('Warning', `Job finished with warning at ${iso(end)}`, end, end);
    else push('Success', `Job finished successfully at ${iso(end)}`, end, end);
  }
  return items;
}
