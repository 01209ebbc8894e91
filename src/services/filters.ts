// Session filters per folder, kept in workspace state so they survive reloads.
import type * as vscode from 'vscode';
import type { SessionFilter } from '../api/model';

export class FilterStore {
  constructor(private readonly state: vscode.Memento) {}
  private key(nodeId: string): string { return `veeam.filter:${nodeId}`; }
  get(nodeId: string): SessionFilter | undefined { return this.state.get<SessionFilter>(this.key(nodeId)); }
  async set(nodeId: string, f: SessionFilter | undefined): Promise<void> { await this.state.update(this.key(nodeId), f); }
}

export function describeFilter(f: SessionFilter): string {
  const parts: string[] = [];
  if (f.result) { parts.push(f.result); }
  if (f.since) {
    const hours = Math.round((Date.now() - Date.parse(f.since)) / 3_600_000);
    parts.push(f.until ? `${f.since.slice(0, 10)} → ${f.until.slice(0, 10)}` : hours <= 48 ? `last ${hours} h` : `last ${Math.round(hours / 24)} d`);
  }
  if (f.name) { parts.push(`"${f.name}"`); }
  return `Filtered: ${parts.join(', ') || 'all'}`;
}
