// VBR REST revisions (the x-api-version header), what each one changes, the version-gate errors and the server clock.
import type { VbrOptions, VbrRevision } from '../types';

/** Supported and deprecated revisions from the 1.3 spec's versioning table, newest first. */
export const ALL_REVISIONS: readonly VbrRevision[] = ['1.3-rev2', '1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1', '1.1-rev0'];

/** Build number per revision (same table). */
const BUILD: Record<VbrRevision, string> = {
  '1.3-rev2': '13.1.0.411', '1.3-rev1': '13.0.1.180', '1.3-rev0': '13.0.0.4967', '1.2-rev1': '12.3.1.1139',
  '1.2-rev0': '12.3.0.310', '1.1-rev2': '12.2.0.334', '1.1-rev1': '12.1.0.2131', '1.1-rev0': '12.0.0.1420',
};

/** What the served revision selects. 1.1 revisions are served with the 1.2 shapes (inferred: we have no 1.1 spec). */
export interface Rev {
  name: VbrRevision;
  /** 1.3 shapes: capitalised enums, VSphereBackup, array filters, paged taskSessions, 204 enable/disable, … */
  v13: boolean;
  /** 1.3-rev2 moved the license expirationDate into the socket/instance summaries. */
  licenseInSummaries: boolean;
}

export function revOf(name: VbrRevision): Rev {
  return { name, v13: name.startsWith('1.3'), licenseInSummaries: name === '1.3-rev2' };
}

export function isRevision(v: string): v is VbrRevision {
  return (ALL_REVISIONS as readonly string[]).includes(v);
}

/** The product build of the newest served revision (what /serverInfo reports). */
export function buildOf(served: readonly VbrRevision[]): string {
  const newest = ALL_REVISIONS.find((r) => served.includes(r)) ?? '1.3-rev2';
  return BUILD[newest];
}

/** 400 body for a missing or unserved x-api-version, in the chosen style. */
export function versionError(style: VbrOptions['versionErrorStyle'], served: readonly VbrRevision[]): { errorCode: string; message: string } {
  if (style === 'supported-list') {
    const list = [...served].sort((a, b) => ALL_REVISIONS.indexOf(b) - ALL_REVISIONS.indexOf(a)).map((r) => `v${r}`).join(', ');
    return { errorCode: 'NotImplemented', message: `Bad request: Unsupported RESTAPI version. The following versions are supported: ${list}.` };
  }
  return { errorCode: 'NotImplemented', message: 'The specified API version is not supported.' };
}

const ZONES: Record<number, { windows: string; iana: string }> = {
  0: { windows: '(UTC) Coordinated Universal Time', iana: 'Etc/UTC' },
  60: { windows: '(UTC+01:00) West Central Africa', iana: 'Africa/Lagos' },
  330: { windows: '(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi', iana: 'Asia/Kolkata' },
  [-300]: { windows: '(UTC-05:00) Bogota, Lima, Quito, Rio Branco', iana: 'America/Bogota' },
};

/** The server's clock: a fixed-offset zone without daylight saving, so offsets never change mid-test. */
export class Clock {
  readonly windowsName: string;
  readonly iana: string;
  constructor(readonly offsetMin: number) {
    const z = ZONES[offsetMin] ?? ZONES[60];
    this.windowsName = z.windows;
    this.iana = z.iana;
  }

  /** ISO local time: `…T12:00:00.123+01:00`; `fraction` 7 gives .NET-style 7 digits; `offset: false` drops the offset. */
  iso(ms: number, o: { offset?: boolean; fraction?: 3 | 7 } = {}): string {
    const local = new Date(ms + this.offsetMin * 60_000).toISOString().slice(0, 23);
    const frac = o.fraction === 7 ? `${local}${String(Math.abs(Math.imul(ms, 2654435761)) % 10_000).padStart(4, '0')}` : local;
    if (o.offset === false) return frac;
    const sign = this.offsetMin < 0 ? '-' : '+';
    const abs = Math.abs(this.offsetMin);
    return `${frac}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }

  /** "11/5/2023 6:03:15 AM", as VBR writes times into log titles. */
  text(ms: number): string {
    const d = new Date(ms + this.offsetMin * 60_000);
    const h = d.getUTCHours();
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
  }

  /** Start of the local day containing `ms`, as epoch ms. */
  localMidnight(ms: number): number {
    const off = this.offsetMin * 60_000;
    return Math.floor((ms + off) / 86_400_000) * 86_400_000 - off;
  }
}
