// Passwords live only in VS Code's SecretStorage, keyed by server URL and user name.
// If the OS keyring is unavailable, the password is kept in memory for this session only.
import * as vscode from 'vscode';
import type { Logger as Log } from './types';

export class SecretStore {
  private readonly memory = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: Log) {
    this.listener = secrets.onDidChange((e) => {
      if (e.key.startsWith('veeam:password:')) { this.changed.fire(e.key.slice('veeam:password:'.length)); }
    });
  }

  dispose(): void { this.listener.dispose(); this.changed.dispose(); }

  private id(serverKey: string): string { return `veeam:password:${serverKey}`; }

  async get(serverKey: string): Promise<string | undefined> {
    try {
      return (await this.secrets.get(this.id(serverKey))) ?? this.memory.get(serverKey);
    } catch {
      return this.memory.get(serverKey);
    }
  }

  async set(serverKey: string, password: string): Promise<void> {
    try {
      await this.secrets.store(this.id(serverKey), password);
      this.memory.delete(serverKey);
    } catch (e) {
      this.memory.set(serverKey, password);
      this.log.warn(`Secret storage is unavailable (${(e as Error).message}); the password is kept for this session only.`);
    }
  }

  async delete(serverKey: string): Promise<void> {
    this.memory.delete(serverKey);
    try { await this.secrets.delete(this.id(serverKey)); } catch { /* nothing stored */ }
  }
}
