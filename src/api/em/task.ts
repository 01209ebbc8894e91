// EM's asynchronous actions (start, stop, retry, toggleScheduleEnabled) answer 202 with a <Task>; it is
// polled until State=Finished (Running → OperationFinished → Finished) and its Result says whether the
// action happened (Result is missing while the task runs).
import { VeeamError } from '../errors';
import { sleep } from '../http/sleep';
import { Obj, obj, text } from './xml';

export interface TaskOptions {
  /** GET of the task's own resource, parsed. */
  read: (href: string) => Promise<Obj>;
  /** Path of the task resource. */
  href: string;
  /** What it acts on, for messages: '"Oracle Backup"'. */
  what: string;
  /** The action as a noun and a verb, for messages: 'start'/'start' (default), 'stop'/'stop', 'schedule change'/'change the schedule of'. */
  noun?: string;
  verb?: string;
  limitMs: number;
  pollMs: number;
  signal?: AbortSignal;
}

/** Follow a Task to its end; returns its Result message, throws when Result@Success is not true. */
export async function followTask(first: Obj, o: TaskOptions): Promise<string | undefined> {
  let task = first;
  const deadline = Date.now() + o.limitMs;
  while (text(task.State) !== 'Finished') {
    if (Date.now() > deadline) {
      throw new VeeamError('timeout', `The ${o.noun ?? 'start'} of ${o.what} did not finish within ${Math.round(o.limitMs / 1000)} s.`);
    }
    await sleep(o.pollMs, o.signal);
    task = await o.read(o.href);
  }
  const result = obj(task.Result);
  const message = text(result.Message);
  if (text(result.Success) !== 'true') {
    throw new VeeamError('http', message ?? `Enterprise Manager could not ${o.verb ?? 'start'} ${o.what}.`, { serverMessage: message });
  }
  return message;
}
