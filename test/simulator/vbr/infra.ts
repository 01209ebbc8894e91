// Per-revision shapes of the infrastructure and server endpoints: repositories (+states), managed servers, proxies
// (+1.3 states), license, serverInfo, serverTime, serverCertificate, malware events, Security & Compliance Analyzer.
import * as crypto from 'node:crypto';
import { EPOCH, type MalwareEvent, type Proxy, type Repo, type Server } from './data';
import { buildOf } from './revisions';
import type { VbrRevision } from '../types';
import { iso, nullify, type Json, type ViewCtx } from './views';

const DAY = 86_400_000;
const CACHE = 'C:\\ProgramData\\Veeam\\Backup\\IRCache\\';

export function repoView(c: ViewCtx, r: Repo): Json {
  const mount = { mountServerId: c.data.servers[0].id, writeCacheFolder: CACHE, vPowerNFSEnabled: true };
  const mountServer = c.rev.v13 ? { mountServerSettingsType: 'Windows', windows: mount } : mount;
  const settings = { taskLimitEnabled: true, maxTaskCount: 4, readWriteLimitEnabled: false, readWriteRate: 0,
    advancedSettings: { alignDataBlocks: true, decompressBeforeStoring: false, rotatedDrives: false, perVmBackup: true } };
  const head = { id: r.id, name: r.def.name, description: r.def.description, uniqueId: r.uniqueId, type: r.def.type };
  if (r.def.type === 'Smb') {
    return { ...head, share: { sharePath: r.def.path, credentialsId: c.data.ids.credentials }, repository: settings, mountServer };
  }
  return { ...head, hostId: r.hostId, repository: { path: r.def.path, ...settings }, mountServer };
}

/** RepositoryStateModel. used + free ≠ capacity on purpose (block clone), as in the 1.3 example; isOutOfDate is 1.3 only. */
export function repoStateView(c: ViewCtx, r: Repo): Json {
  const host = c.data.servers.find((s) => s.id === r.hostId);
  const out: Json = { id: r.id, name: r.def.name, type: r.def.type, description: r.def.description };
  if (host) Object.assign(out, { hostId: host.id, hostName: host.def.name });
  Object.assign(out, { path: r.def.path, capacityGB: r.def.capacityGB, freeGB: r.def.freeGB, usedSpaceGB: r.def.usedGB, isOnline: r.def.online });
  if (c.rev.v13) out.isOutOfDate = r.def.outOfDate;
  return nullify(c, out, ['hostId']);
}

export function managedServerView(c: ViewCtx, s: Server): Json {
  const head: Json = { id: s.id, name: s.def.name, description: s.def.description, type: s.def.type, status: s.def.available ? 'Available' : 'Unavailable' };
  if (s.def.type === 'ViHost') return { ...head, credentialsId: c.data.ids.credentials, viHostType: 'VC', port: 443 };
  // Component names differ per revision (1.2 Transport/DeployerSvc, 1.3 TransportSvc/InstallerSvc).
  const names = c.rev.v13 ? ['TransportSvc', 'InstallerSvc'] : ['Transport', 'DeployerSvc'];
  const ports = { components: [{ componentName: names[0], port: 6162 }, { componentName: names[1], port: 6160 }], portRangeStart: 2500, portRangeEnd: 3300, serverSide: false };
  if (!c.rev.v13) return { ...head, credentialsId: c.data.ids.credentials, networkSettings: ports };
  return nullify(c, { ...head, credentialsStorageType: 'Permanent', credentialsId: c.data.ids.credentials, networkSettings: ports,
    isBackupServer: !!s.def.backupServer, isDefaultMountServer: !!s.def.backupServer, updatesState: s.def.available ? 'NotAvailable' : 'CheckUpdatesFailed' }, ['credentialsId']);
}

export function proxyView(c: ViewCtx, p: Proxy): Json {
  const server: Json = { hostId: p.hostId };
  if (c.rev.v13) server.hostName = p.hostName;
  // EBackupProxyTransportMode is lowercase-first in 1.2 (auto, directAccess, …), capitalised in 1.3.
  Object.assign(server, { transportMode: c.rev.v13 ? 'Auto' : 'auto', failoverToNetwork: true, hostToProxyEncryption: false, maxTaskCount: 4 });
  return { id: p.id, name: p.name, description: p.description, type: 'ViProxy', server };
}

export function proxyStateView(_c: ViewCtx, p: Proxy): Json {
  return { id: p.id, name: p.name, description: p.description, type: 'ViProxy', hostId: p.hostId, hostName: p.hostName, isDisabled: false, isOnline: p.online, isOutOfDate: false };
}

/**
 * InstalledLicenseModel. The license expires in 21 days. 1.3-rev2 moved expirationDate/supportExpirationDate into the
 * instance summary; 1.2 and 1.3-rev0/rev1 have them at the top level (inferred for rev0/rev1: the change is rev2's).
 */
export function licenseView(c: ViewCtx): Json {
  const expires = c.data.clock.localMidnight(EPOCH + 22 * DAY) - c.data.clock.offsetMin * 60_000;
  const support = expires;
  const exp = new Date(expires).toISOString().replace('.000', '');
  const summary: Json = {
    package: 'Suite', licensedInstancesNumber: 100, usedInstancesNumber: 23, newInstancesNumber: 0, rentalInstancesNumber: 0,
    objects: [{ type: 'VM', count: 16, multiplier: 1, usedInstancesNumber: 16 }, { type: 'Server', count: 6, multiplier: 1, usedInstancesNumber: 6 },
      { type: 'Workstation', count: 48, multiplier: 0.33, usedInstancesNumber: 1 }],
  };
  const out: Json = { status: 'Valid' };
  if (!c.rev.licenseInSummaries) out.expirationDate = exp;
  Object.assign(out, { type: 'Subscription', edition: 'EnterprisePlus', licensedTo: 'Lab Corporation', instanceLicenseSummary: summary, supportId: '02067762' });
  if (c.rev.licenseInSummaries) Object.assign(summary, { expirationDate: exp, supportExpirationDate: new Date(support).toISOString().replace('.000', '') });
  else out.supportExpirationDate = new Date(support).toISOString().replace('.000', '');
  Object.assign(out, { autoUpdateEnabled: true, freeAgentInstanceConsumptionEnabled: true, cloudConnect: 'Disabled' });
  if (c.rev.v13) Object.assign(out, { IsMultiSection: false, proactiveSupportEnabled: true });
  nullify(c, summary, c.rev.licenseInSummaries ? ['expirationDate', 'supportExpirationDate'] : []);
  return nullify(c, out, c.rev.licenseInSummaries ? [] : ['expirationDate', 'supportExpirationDate']);
}

export function serverInfoView(c: ViewCtx, served: readonly VbrRevision[]): Json {
  const v13 = c.rev.v13;
  const out: Json = {
    vbrId: c.data.ids.vbr, name: 'vbr01.lab.local', buildVersion: buildOf(served), patches: [],
    databaseVendor: v13 ? 'PostgreSQL' : 'MS SQL', sqlServerEdition: v13 ? '' : 'Express Edition (64-bit)',
    sqlServerVersion: v13 ? 'PostgreSQL 15.8, compiled by Visual C++ build 1940, 64-bit' : '15.0.2000.5', databaseSchemaVersion: v13 ? '9688' : '7011',
    databaseContentVersion: v13 ? '9688' : '7011',
  };
  if (v13) {
    out.veeamRegistration = nullify(c, { isRegistered: true, expirationDate: iso(c, EPOCH + 200 * DAY), thumprint: 'BC7F6108B16884C70E6F6C2CC714463777FE65C0' }, ['expirationDate']);
    out.platform = 'Windows';
  }
  return out;
}

export function serverTimeView(c: ViewCtx): Json {
  const out: Json = { serverTime: c.data.clock.iso(c.now, { fraction: 7 }), timeZone: c.data.clock.windowsName };
  if (c.rev.v13) out.ianaTimeZoneId = c.data.clock.iana;
  return out;
}

/** CertificateModel from the certificate the listener serves now (thumbprint = SHA-1, as Windows shows it). */
export function certificateView(c: ViewCtx, pem: string | undefined): Json {
  const x = pem ? new crypto.X509Certificate(pem) : undefined;
  const cn = (dn: string | undefined): string => /CN=([^\n,]+)/.exec(dn ?? '')?.[1] ?? 'vbr01.lab.local';
  const key = x?.publicKey.asymmetricKeyDetails;
  const out: Json = {
    thumbprint: (x?.fingerprint ?? '00').replace(/:/g, ''), serialNumber: x?.serialNumber ?? '00',
    keyAlgorithm: x?.publicKey.asymmetricKeyType === 'ec' ? 'ECC' : 'RSA', keySize: String(key?.modulusLength ?? (key?.namedCurve ? 256 : 2048)),
    subject: `CN=${cn(x?.subject)}`, issuedTo: cn(x?.subject), issuedBy: cn(x?.issuer),
    validFrom: iso(c, x ? Date.parse(x.validFrom) : EPOCH), validBy: iso(c, x ? Date.parse(x.validTo) : EPOCH + 365 * DAY),
  };
  if (c.rev.v13) out.isTrusted = false;
  return out;
}

export function malwareView(c: ViewCtx, e: MalwareEvent): Json {
  const out: Json = { id: e.id, type: e.type };
  if (c.rev.v13) out.creationTimeUtc = new Date(e.creationTime).toISOString();
  out.detectionTimeUtc = new Date(e.detectionTime).toISOString();
  const machine: Json = { displayName: e.machine, uuid: e.machineUuid, backupObjectId: e.backupObjectId };
  if (c.rev.v13) machine.restorePointId = e.restorePointId;
  out.machine = nullify(c, machine, c.rev.v13 ? ['restorePointId'] : []);
  Object.assign(out, { state: e.state, details: e.details, source: e.source, severity: e.severity, createdBy: e.createdBy, engine: e.engine });
  return out;
}

export function bestPracticesView(c: ViewCtx): Json {
  return { items: c.data.bestPractices.map((b) => ({ id: b.id, bestPractice: b.text, status: b.status, note: b.note })) };
}
