// Enterprise Manager job actions as Tasks: start, retry, stop and the schedule toggle (enable/disable).
import { VeeamError } from '../errors';
import { sleep } from '../http/sleep';
import type { Entity } from '../model';
import type { EmClient } from './client';
import { EmType, lastRunOfJob, mapEntity } from './map';
import { parseXmlBody } from './parse';
import { followTask } from './task';
import { text } from './xml';

/** A job an action is sent to: its path (/api/jobs/{id}), name for messages, UID and session type. */
interface JobTarget { path: string; name: string; uid: string; sessionType: EmType }

export type JobAction = 'start' | 'stop' | 'retry' | 'toggleScheduleEnabled';
export const ACTION_WORDS: Record<JobAction, { noun: string; verb: string; undone: string }> = {
  start: { noun: 'start', verb: 'start', undone: 'the job was not started. Start it again' },
  stop: { noun: 'stop', verb: 'stop', undone: 'the job was not stopped. Stop it again' },
  retry: { noun: 'retry', verb: 'retry', undone: 'the job was not retried. Retry it again' },
  toggleScheduleEnabled: { noun: 'schedule change', verb: 'change the schedule of', undone: "the job's schedule was not changed. Try again" },
};

export async function startJob(client: EmClient, job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
  if (job.type !== 'job') { throw new VeeamError('config', `"${job.name}" is not a job.`); }
  return runAndFindSession(client, jobTarget(client, job, 'started'), 'start', signal, onStatus);
}

/** Retry a job whose last session failed or warned: POST ?action=retry, the Task, then the new (IsRetry) session. */
export async function retryJob(client: EmClient, job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
  return runAndFindSession(client, jobTarget(client, job, 'retried'), 'retry', signal, onStatus);
}

/**
 * Stop a running job, or the job of a running session: POST /api/jobs/{id}?action=stop and its Task.
 * Returns the session to follow to its end (re-read; it may still be "Stopping"), if it can be read.
 */
export async function stopJob(client: EmClient, target: Entity, signal?: AbortSignal, onStatus?: (message: string) => void):
  Promise<Entity | undefined> {
  const t = jobTarget(client, target, 'stopped');
  const message = await jobTask(client, t, 'stop', signal, onStatus);
  onStatus?.(message ?? `Job "${t.name}" stopped.`);
  try {
    if (target.type === 'backupSession' || target.type === 'replicaSession') { return await client.refresh(target, signal); }
    const newest = await client.newestSession(t.sessionType, t.uid, signal);
    return newest ? mapEntity(t.sessionType, newest) : undefined;
  } catch (e) {
    if (e instanceof VeeamError && e.kind === 'cancelled') { throw e; }
    return undefined;   // stopped; the session could not be read now (the tree reads it again)
  }
}

/**
 * Enable or disable a job's schedule. EM only toggles (?action=toggleScheduleEnabled), so the job is read
 * first (one GET) and the toggle is sent only when its state differs from the one asked for; otherwise
 * nothing is sent and onStatus says so. Returns the job as it is afterwards.
 */
export async function setJobEnabled(client: EmClient, job: Entity, enabled: boolean, signal?: AbortSignal,
  onStatus?: (message: string) => void): Promise<Entity> {
  const verb = enabled ? 'enabled' : 'disabled';
  if (job.type !== 'job') { throw new VeeamError('config', `"${job.name}" is not a job.`); }
  const t = jobTarget(client, job, verb);
  const path = client.local(job.ref.href);
  const last = lastRunOfJob(job) ?? null;
  const before = await client.read(path, signal);
  const state = text(before.ScheduleEnabled);
  if (text(before.ScheduleConfigured) === 'false' || (state !== 'true' && state !== 'false')) {
    throw new VeeamError('config', `"${t.name}" has no schedule on the backup server; there is nothing to ${enabled ? 'enable' : 'disable'}.`);
  }
  if ((state === 'true') === enabled) {
    onStatus?.(`The schedule of "${t.name}" is already ${verb}; nothing was changed.`);
    return mapEntity('Job', before, Date.now(), last);
  }
  const message = await jobTask(client, t, 'toggleScheduleEnabled', signal, onStatus);
  const after = await client.read(path, signal);
  const now = text(after.ScheduleEnabled);
  onStatus?.(now === String(enabled) ? message ?? `The schedule of "${t.name}" is now ${verb}.`
    : `Enterprise Manager reports the schedule of "${t.name}" as ${now === 'true' ? 'enabled' : now === 'false' ? 'disabled' : 'unknown'} after the change.`);
  return mapEntity('Job', after, Date.now(), last);
}

/** The job a job action goes to: the job itself, or the job of a session. */
function jobTarget(client: EmClient, e: Entity, done: string): JobTarget {
  if (e.type === 'job') {
    if (!e.id || !e.ref.href) { throw new VeeamError('config', `"${e.name}" came from the server without a UID or link; it cannot be ${done}.`); }
    return { path: new URL(e.ref.href, client.definition.url).pathname, name: e.name, uid: e.id,
      sessionType: (e.ref.sessionType as EmType) || 'BackupJobSession' };
  }
  if (e.type === 'backupSession' || e.type === 'replicaSession') {
    const uid = e.ref.jobUid;
    const guid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(uid ?? '')?.[1];
    const path = e.ref.jobHref ? new URL(e.ref.jobHref, client.definition.url).pathname : guid ? `/api/jobs/${guid}` : undefined;
    if (!uid || !path) { throw new VeeamError('config', `"${e.name}" names no job (no JobUid); its job cannot be ${done}.`); }
    return { path: path.replace(/\/+$/, ''), name: e.jobName ?? e.name, uid, sessionType: e.ref.type as EmType };
  }
  throw new VeeamError('config', `"${e.name}" is not a job.`);
}

/** One POST /api/jobs/{id}?action=…, never retried, and its Task followed to Finished; returns the Task's message. */
async function jobTask(client: EmClient, t: JobTarget, action: JobAction, signal?: AbortSignal,
  onStatus?: (message: string) => void): Promise<string | undefined> {
  const w = ACTION_WORDS[action];
  const path = `${t.path}?action=${action}`;
  const res = await client.call('POST', path, signal, 'application/xml', action === 'start' ? `job "${t.name}"` : `the ${w.noun} of job "${t.name}"`);
  const task = parseXmlBody(res, path).value;
  const taskHref = client.local(text(task.Href) ?? `/api/tasks/${encodeURIComponent(text(task.TaskId) ?? '')}`);
  onStatus?.(`${w.noun[0].toUpperCase()}${w.noun.slice(1)} of "${t.name}" requested; waiting for Enterprise Manager…`);
  return followTask(task, {
    read: async (href) => parseXmlBody(await client.call('GET', href, signal), href).value,
    href: taskHref, what: `"${t.name}"`, noun: w.noun, verb: w.verb, limitMs: Math.max(60_000, client.timeoutMs * 4),
    pollMs: client.pollMs, signal,
  });
}

/** Start or retry: the newest session before, the action, then the new session (running) once EM lists it. */
async function runAndFindSession(client: EmClient, t: JobTarget, action: 'start' | 'retry', signal?: AbortSignal,
  onStatus?: (message: string) => void): Promise<Entity> {
  const before = text((await client.newestSession(t.sessionType, t.uid, signal))?.UID);
  const message = await jobTask(client, t, action, signal, onStatus);
  onStatus?.(message ?? `Job "${t.name}" triggered to ${action}.`);
  let session = await client.newestSession(t.sessionType, t.uid, signal);
  for (let i = 0; i < 20 && (!session || text(session.UID) === before); i++) {
    await sleep(client.pollMs, signal);
    session = await client.newestSession(t.sessionType, t.uid, signal);
  }
  if (!session || text(session.UID) === before) {
    throw new VeeamError('malformed', `"${t.name}" was ${action === 'start' ? 'started' : 'retried'}, but its new session did not appear.`);
  }
  const entity = mapEntity(t.sessionType, session);
  if (!entity.endedAt) { entity.status = 'running'; }
  return entity;
}
