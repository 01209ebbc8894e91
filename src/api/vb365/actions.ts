// VB365 actions, one POST each: repository sync, job start, stop, enable and disable (no retry in any version).
import type { Entity } from '../model';
import { VeeamError } from '../errors';
import { parseJson } from '../http/body';
import type { Vb365Client } from './client';
import * as N from './normalize';
import { idOf, jobSessions, syncSessions } from './tree';

type Obj = Record<string, unknown>;

export async function sync(client: Vb365Client, repo: Entity, signal?: AbortSignal): Promise<Entity> {
  const v = await client.version(signal);
  const repoId = idOf(repo, 'it cannot be synchronized');
  const id = encodeURIComponent(repoId);
  const path = v >= 6 ? `/v${v}/BackupRepositories/${id}/Sync` : `/v${v}/BackupRepositories/${id}/action`;
  const res = await client.call('POST', path, signal, v >= 6 ? undefined : JSON.stringify({ sync: null }), `the sync of "${repo.name}"`);
  if (res.status < 200 || res.status >= 300) { throw client.error(res, path); }
  const body = res.text.trim() ? parseJson<Obj>(res, path) : {};
  if (body && typeof body.id === 'string' && body.id) { return N.syncSession(body, repo.name); }
  // v4 documents no id in the answer: find the running session of this repository.
  const running = (await syncSessions(client, v, repoId, signal)).find((s) => s.state === 'Synchronizing');
  if (!running) { throw new VeeamError('malformed', `The sync of ${repo.name} was accepted but no running sync session was found.`); }
  return N.syncSession(running, repo.name);
}

export async function startJob(client: Vb365Client, job: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity> {
  const v = await client.version(signal);
  const id = encodeURIComponent(idOf(job, 'it cannot be started'));
  const path = v >= 6 ? `/v${v}/Jobs/${id}/start` : `/v${v}/Jobs/${id}/action`;
  const startedAfter = Date.now() - 60_000;
  const res = await client.call('POST', path, signal, v >= 6 ? undefined : JSON.stringify({ start: null }), `job "${job.name}"`);
  if (res.status < 200 || res.status >= 300) { throw client.error(res, path); }
  onStatus?.(`Job "${job.name}" started.`);
  if (res.status === 200 && res.text.trim()) {
    const b = parseJson<Obj>(res, path);
    if (typeof b.id === 'string' && b.id) { return N.jobSession(b, Date.now(), { jobId: job.id, jobName: job.name }); }
  }
  // v4–v7 answer without the session: the newest session of the job is the one just started.
  const first = await jobSessions(client, v, job, undefined, signal);
  const s = first.items.find((e) => e.status === 'running') ??
    first.items.find((e) => Date.parse(e.startedAt ?? '') >= startedAfter);
  if (!s) { throw new VeeamError('malformed', `Job "${job.name}" was started but its session was not found yet.`); }
  return s;
}

/**
 * Stop a running job, or the job of a running session: one POST. The answer names no session (204, or 200
 * without a body before v6); a session given is returned to be followed to its end, a job gives undefined.
 */
export async function stopJob(client: Vb365Client, target: Entity, signal?: AbortSignal, onStatus?: (m: string) => void): Promise<Entity | undefined> {
  const v = await client.version(signal);
  const jobId = target.type === 'job' ? idOf(target, 'it cannot be stopped')
    : target.type === 'jobSession' && target.id && target.ref.jobId ? target.ref.jobId : undefined;
  if (!jobId) { throw new VeeamError('config', `"${target.name}" cannot be stopped: its job is not known.`); }
  const id = encodeURIComponent(jobId);
  const name = target.type === 'job' ? target.name : target.jobName ?? target.name;
  if (v >= 6) { await client.post(`/v${v}/Jobs/${id}/stop`, undefined, `the stop of job "${name}"`, signal); }
  else { await client.post(`/v${v}/Jobs/${id}/action`, { stop: null }, `the stop of job "${name}"`, signal); }
  onStatus?.(`Stop of "${name}" requested.`);
  return target.type === 'jobSession' ? target : undefined;
}

/** Enable or disable a job (its schedule): one POST. The answer is empty; undefined = read the job again. */
export async function setJobEnabled(client: Vb365Client, job: Entity, enabled: boolean, signal?: AbortSignal,
  onStatus?: (m: string) => void): Promise<Entity | undefined> {
  const v = await client.version(signal);
  const verb = enabled ? 'enable' : 'disable';
  const id = encodeURIComponent(idOf(job, `it cannot be ${enabled ? 'enabled' : 'disabled'}`));
  if (v >= 6) { await client.post(`/v${v}/Jobs/${id}/${verb}`, undefined, `the ${verb} of job "${job.name}"`, signal); }
  else { await client.post(`/v${v}/Jobs/${id}/action`, { [verb]: null }, `the ${verb} of job "${job.name}"`, signal); }
  onStatus?.(`Job "${job.name}" ${enabled ? 'enabled' : 'disabled'}.`);
  return undefined;
}
