// The "Veeam" log channel. Request lines carry method, path, status and time — never a
// header, body, token or password (the transport never hands those over).
import * as vscode from 'vscode';
import type { RequestLogEntry } from '../api/model';
import type { Logger } from '../services/types';

export class Log implements Logger {
  readonly channel: vscode.LogOutputChannel;
  constructor() { this.channel = vscode.window.createOutputChannel('Veeam', { log: true }); }

  request(server: string, e: RequestLogEntry): void {
    const line = `[${server}] ${e.method} ${e.path} → ${e.status ?? 'failed'} (${e.ms} ms)${e.attempt ? ` attempt ${e.attempt}` : ''}${e.error ? `: ${e.error}` : ''}`;
    if (!e.cancelled && (e.error || (e.status ?? 0) >= 500)) { this.channel.warn(line); } else { this.channel.debug(line); }
  }
  debug(m: string): void { this.channel.debug(m); }
  info(m: string): void { this.channel.info(m); }
  warn(m: string): void { this.channel.warn(m); }
  error(m: string): void { this.channel.error(m); }
  dispose(): void { this.channel.dispose(); }
}
