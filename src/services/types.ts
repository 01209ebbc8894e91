// What services share with views without importing them: the item a tree node or a document stands
// for, the questions the UI asks the user, and the log the UI writes to.
import type { CertificateInfo } from '../api/errors';
import type { Entity, RequestLogEntry, ServerDefinition } from '../api/model';
import type { LoadedServer } from './settings';

/** An entity of a server, as a tree node holds it (EntityNode satisfies this). */
export interface Item {
  readonly id: string;
  readonly server: LoadedServer;
  entity: Entity;
}

/** Every question the extension asks the user (integration tests answer for the user). */
export interface Prompts {
  password(def: ServerDefinition, reason?: string): Promise<string | undefined>;
  trust(def: ServerDefinition, cert: CertificateInfo): Promise<boolean>;
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Choose one of several servers or items (a quick pick). */
  pick<T extends PickItem>(items: T[], options: { title: string; matchOnDescription?: boolean }): Promise<T | undefined>;
}

export interface PickItem { label: string; description?: string }

/** The extension's log (a LogOutputChannel in the UI). */
export interface Logger {
  request(server: string, e: RequestLogEntry): void;
  debug(m: string): void;
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
}
