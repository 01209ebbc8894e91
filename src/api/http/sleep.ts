import { VeeamError } from '../errors';

/** Wait `ms`, or reject with a 'cancelled' VeeamError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(new VeeamError('cancelled', 'Cancelled.')); return; }
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(new VeeamError('cancelled', 'Cancelled.')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
