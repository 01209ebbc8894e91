// Used space of every repository over time, kept in global state (no secrets: sizes and times), so the
// overview can say "full in about N days". One sample per repository per hour at most, 60 days kept.
import type * as vscode from 'vscode';
import type { CapacitySample } from './aggregate';

const KEY = 'veeam.dashboard.capacity';
const MIN_GAP_MS = 3_600_000;
const KEEP_MS = 60 * 86_400_000;
const MAX_SAMPLES = 400;

type Store = Record<string, CapacitySample[]>;

export class CapacityHistory {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Store { return { ...(this.state.get<Store>(KEY) ?? {}) }; }

  get(id: string): CapacitySample[] | undefined { return this.state.get<Store>(KEY)?.[id]; }

  /** Add the current used bytes of some repositories (ids `${serverKey}|${repoKey}`). */
  async add(samples: { id: string; used: number }[], now = Date.now()): Promise<void> {
    if (!samples.length) { return; }
    const all = this.all();
    let changed = false;
    for (const s of samples) {
      const list = (all[s.id] ?? []).filter((p) => now - p.t < KEEP_MS);
      const last = list[list.length - 1];
      if (last && now - last.t < MIN_GAP_MS) { continue; }
      list.push({ t: now, used: s.used });
      all[s.id] = list.slice(-MAX_SAMPLES);
      changed = true;
    }
    // Repositories not seen for the whole keep period are dropped.
    for (const [id, list] of Object.entries(all)) {
      if (!list.length || now - list[list.length - 1].t > KEEP_MS) { delete all[id]; changed = true; }
    }
    if (changed) { await this.state.update(KEY, all); }
  }
}
