// Job actions: start, stop (a job or one session), retry (1.3), enable, disable. Each is one POST,
// never retried (the transport never repeats a POST and a 401 does not re-send it); what is
// returned is the session to watch or the job read again.
import type { Entity } from '../model';
import { VeeamError } from '../errors';
import { parseJson } from '../http/body';
import type { HttpResponse } from '../http/transport';
import type { VbrClient } from './client';
import { atLeast } from './revision';
import { session } from './session';

const enc = encodeURIComponent;

function needJob(e: Entity, verb: string): string {
  if (e.type !== 'job') { throw new VeeamError('config', `"${e.name}" is not a job; only jobs can be ${verb}.`); }
  if (!e.id) { throw new VeeamError('config', `The job "${e.name}" came without an id; it cannot be ${verb}.`); }
  return e.id;
}

/** The SessionModel of a 201 (or 200) answer, as a session to watch. */
async function startedSession(client: VbrClient, res: HttpResponse, path: string, what: string): Promise<Entity> {
  const body = res.text.trim() ? parseJson<Record<string, unknown>>(res, path) : undefined;
  if (!body || typeof body.id !== 'string' || !body.id) {
    throw new VeeamError('malformed', `${what} was accepted (HTTP ${res.status}), but the answer names no session.`, { status: res.status, path });
  }
  const e = session(body, await client.norm());
  // A session that was just created runs, whatever its first reading says ("Starting", "None").
  if (!e.endedAt && e.status !== 'running' && e.status !== 'queued') { e.status = 'running'; }
  if (e.status === 'running' && !e.actions.includes('stopJob')) { e.actions = ['stopJob', ...e.actions]; }   // session actions are shared
  return e;
}

export async function startJob(client: VbrClient, job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
  const id = needJob(job, 'started');
  const path = `/api/v1/jobs/${enc(id)}/start`;
  const res = client.ok(await client.call('POST', path, signal, { performActiveFull: false }, `job "${job.name}"`), 'POST', path);
  if (res.status === 204) {
    // 1.3: "accepted, but the job has no objects to process. No session was created."
    throw new VeeamError('http', `Job "${job.name}" was not started: the job has no objects to process; no session was created.`,
      { status: 204, method: 'POST', path, declined: true });
  }
  onStatus?.(`Job "${job.name}" started.`);
  return startedSession(client, res, path, `The start of job "${job.name}"`);
}

export async function stopJob(client: VbrClient, target: Entity, signal?: AbortSignal, options: { graceful?: boolean } = {}): Promise<Entity> {
  if (target.type === 'jobSession') {
    if (!target.id) { throw new VeeamError('config', `The session "${target.name}" came without an id; it cannot be stopped.`); }
    const path = `/api/v1/sessions/${enc(target.id)}/stop`;
    client.ok(await client.call('POST', path, signal, undefined, `the stop of session ${target.name}`), 'POST', path);
    // 200 without a session: read it again (a GET) so the caller sees it stopping.
    return client.refresh(target, signal);
  }
  const id = needJob(target, 'stopped');
  const path = `/api/v1/jobs/${enc(id)}/stop`;
  const res = client.ok(await client.call('POST', path, signal, { gracefulStop: options.graceful === true }, `the stop of job "${target.name}"`), 'POST', path);
  if (res.status === 201 || (res.status === 200 && res.text.trim())) {
    // The answer is the session being stopped: it still runs until the server has stopped it.
    return startedSession(client, res, path, `The stop of job "${target.name}"`);
  }
  return client.refresh(target, signal);
}

export async function retryJob(client: VbrClient, job: Entity, signal?: AbortSignal, onStatus?: (message: string) => void): Promise<Entity> {
  const id = needJob(job, 'retried');
  const rev = await client.revision(signal);
  if (!atLeast(rev, '1.3-rev0')) {
    throw new VeeamError('config', `Retry is not available on ${client.host}: it speaks REST API ${rev.name}, and retrying a job needs 1.3 `
      + '(Veeam Backup & Replication 13). Start the job instead.');
  }
  const path = `/api/v1/jobs/${enc(id)}/retry`;
  const res = client.ok(await client.call('POST', path, signal, {}, `the retry of job "${job.name}"`), 'POST', path);
  if (res.status === 204) {
    throw new VeeamError('http', `Job "${job.name}" was not retried: there is nothing to retry; no session was created.`, { status: 204, method: 'POST', path, declined: true });
  }
  onStatus?.(`Retry of job "${job.name}" started.`);
  return startedSession(client, res, path, `The retry of job "${job.name}"`);
}

/** Enable or disable: 200 with an empty object on 1.2, 204 on 1.3; the job is read again afterwards. */
export async function setEnabled(client: VbrClient, job: Entity, enable: boolean, signal?: AbortSignal): Promise<Entity> {
  const id = needJob(job, enable ? 'enabled' : 'disabled');
  const path = `/api/v1/jobs/${enc(id)}/${enable ? 'enable' : 'disable'}`;
  client.ok(await client.call('POST', path, signal, undefined, `${enable ? 'enabling' : 'disabling'} job "${job.name}"`), 'POST', path);
  try {
    return await client.refresh(job, signal);
  } catch (e) {
    if ((e as VeeamError).kind === 'cancelled') { throw e; }
    // The action happened; only the re-read failed. Show the new state without it.
    return { ...job, status: enable ? 'idle' : 'disabled', description: enable ? 'Enabled' : 'Disabled',
      actions: enable ? ['startJob', 'disableJob', 'openJson', 'openXml', 'copyId'] : ['enableJob', 'openJson', 'openXml', 'copyId'] };
  }
}
