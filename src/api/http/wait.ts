// Waiting for shared in-flight work (version detection, logon, token renewal) on one's own signal.
import { VeeamError } from '../errors';

/**
 * `p`, or a 'cancelled' VeeamError as soon as `signal` aborts: that caller stops waiting, the work itself
 * goes on for everyone else (it runs on the client's own signal, see BaseClient). `p` is always observed,
 * so a rejection after the caller left is not unhandled.
 */
export function waitFor<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) { return p; }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new VeeamError('cancelled', 'Cancelled.'));
    if (signal.aborted) { onAbort(); } else { signal.addEventListener('abort', onAbort, { once: true }); }
    p.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
