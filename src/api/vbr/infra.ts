// VBR folders, repositories, infrastructure, security findings and the license → the normalized model.
import type { ActionId, Entity, EntityStatus } from '../model';
import { ago, bytes, count, dateTime, num, str } from '../format';
import { canon, label } from './enums';
import { DOC_ACTIONS, NormCtx, Obj, d, idOf, noId, obj, rows, short } from './normalize';

export type FolderRole = 'jobs' | 'repos' | 'infra' | 'managedServers' | 'proxies' | 'security' | 'malwareEvents' | 'bestPractices' | 'license';

const FOLDER_ICONS: Record<FolderRole, string> = {
  jobs: 'checklist', repos: 'database', infra: 'server-environment', managedServers: 'server', proxies: 'server-process',
  security: 'shield', malwareEvents: 'bug', bestPractices: 'checklist', license: 'law',
};

export function folder(role: FolderRole, name: string, description?: string): Entity {
  return { key: `vbr:folder:${role}`, type: 'folder', name, description, hasChildren: true, actions: [], role, icon: FOLDER_ICONS[role],
    ref: { folder: role } };
}

const GB = 1024 ** 3;

export function repository(r: Obj): Entity {
  const id = idOf(r.id);
  const name = str(r.name) ?? id ?? '(unnamed repository)';
  const cap = num(r.capacityGB), free = num(r.freeGB), used = num(r.usedSpaceGB);
  const full = cap && cap > 0 && free !== undefined ? Math.max(0, Math.min(100, Math.round((1 - free / cap) * 100))) : undefined;
  const offline = r.isOnline === false;
  const outOfDate = r.isOutOfDate === true;
  const status: EntityStatus = offline || (full !== undefined && full > 90) || outOfDate ? 'warning' : 'idle';
  const sobr = obj(r.scaleOutRepositoryDetails);
  const space = cap !== undefined ? `${bytes((free ?? 0) * GB)} free of ${bytes(cap * GB)}${full !== undefined ? ` (${full} % full)` : ''}` : undefined;
  return {
    key: `vbr:repo:${id ?? noId(name)}`, type: 'repository', id, name, status,
    description: [offline ? 'Offline' : undefined, space, outOfDate ? 'update required' : undefined].filter(Boolean).join(' · '),
    // RepositoryStateModel reports GB (binary: the console's GB are GiB); the model wants bytes.
    capacity: cap !== undefined && cap >= 0 && free !== undefined ? { totalBytes: Math.round(cap * GB), freeBytes: Math.round(Math.max(0, free) * GB) } : undefined,
    hasChildren: false, actions: id ? [...DOC_ACTIONS] : [], ref: { id: id ?? '' },
    details: () => rows(
      d('Type', str(r.type)), d('Host', str(r.hostName)), d('Path', str(r.path)),
      d('Capacity', cap !== undefined ? bytes(cap * GB) : undefined), d('Free', free !== undefined ? bytes(free * GB) : undefined),
      d('Used', used !== undefined ? bytes(used * GB) : undefined), d('Full', full !== undefined ? `${full} %` : undefined),
      d('Online', r.isOnline === undefined || r.isOnline === null ? undefined : r.isOnline ? 'yes' : 'no'),
      d('Out of date', outOfDate ? 'yes' : undefined),
      d('Scale-out repository', str(sobr.scaleOutRepositoryName) ?? str(sobr.name)), d('Extent', str(sobr.membershipType) ?? str(sobr.extentType)),
      d('Description', str(r.description)),
    ),
  };
}

export function managedServer(m: Obj): Entity {
  const id = idOf(m.id);
  const name = str(m.name) ?? id ?? '(unnamed server)';
  const st = canon(m.status);
  const status: EntityStatus = st === 'unavailable' ? 'warning' : st === 'available' ? 'idle' : 'unknown';
  return {
    key: `vbr:server:${id ?? noId(name)}`, type: 'managedServer', id, name, status,
    description: [str(m.type), st === 'available' ? undefined : str(m.status)].filter(Boolean).join(' · '),
    hasChildren: false, actions: id ? [...DOC_ACTIONS] : [], ref: { id: id ?? '' },
    details: () => rows(d('Type', str(m.type)), d('Status', str(m.status)), d('vSphere type', str(m.viHostType)),
      d('Port', num(m.port) !== undefined ? String(m.port) : undefined), d('Description', str(m.description))),
  };
}

/** A proxy: 1.3 ProxyStateModel (online, disabled, out of date) or 1.2 ProxyModel. */
export function proxy(p: Obj): Entity {
  const id = idOf(p.id);
  const name = str(p.name) ?? id ?? '(unnamed proxy)';
  const server = obj(p.server);
  const disabled = p.isDisabled === true;
  const offline = p.isOnline === false;
  const outOfDate = p.isOutOfDate === true;
  const status: EntityStatus = disabled ? 'disabled' : offline || outOfDate ? 'warning' : 'idle';
  const tasks = num(server.maxTaskCount);
  return {
    key: `vbr:proxy:${id ?? noId(name)}`, type: 'proxy', id, name, status,
    description: [str(p.type), disabled ? 'Disabled' : offline ? 'Offline' : p.isOnline === true ? 'Online' : undefined,
      outOfDate ? 'update required' : undefined].filter(Boolean).join(' · '),
    hasChildren: false, actions: id ? [...DOC_ACTIONS] : [], ref: { id: id ?? '' },
    details: () => rows(d('Type', str(p.type)), d('Host', str(p.hostName)),
      d('Online', p.isOnline === undefined || p.isOnline === null ? undefined : p.isOnline ? 'yes' : 'no'),
      d('Disabled', disabled ? 'yes' : undefined), d('Out of date', outOfDate ? 'yes' : undefined),
      d('Transport mode', str(server.transportMode)), d('Max tasks', tasks !== undefined ? count(tasks) : undefined),
      d('Description', str(p.description))),
  };
}

export function malwareEvent(e: Obj, c: NormCtx): Entity {
  const id = idOf(e.id);
  const machine = obj(e.machine);
  const where = str(machine.displayName);
  const type = str(e.type) ?? 'Event';
  const name = where ? `${type} on ${where}` : type;
  const sev = canon(e.severity);
  const falsePositive = canon(e.state) === 'falsepositive';
  const status: EntityStatus = falsePositive ? 'idle' : sev === 'infected' ? 'failed' : sev === 'suspicious' ? 'warning'
    : sev === 'clean' || sev === 'informative' ? 'success' : 'unknown';
  const when = str(e.detectionTimeUtc) ?? str(e.creationTimeUtc);
  const details = str(e.details);
  return {
    key: `vbr:malware:${id ?? noId(`${name}:${when}`)}`, type: 'malwareEvent', id, name, status,
    description: [str(e.severity), falsePositive ? 'false positive' : undefined, when ? ago(when, c.now) : undefined, short(details, 60)]
      .filter(Boolean).join(' · '),
    message: details, startedAt: when,
    hasChildren: false, actions: id ? [...DOC_ACTIONS] : [], ref: { id: id ?? '' },
    details: () => rows(d('Type', str(e.type)), d('Severity', str(e.severity)), d('State', str(e.state)), d('Machine', where),
      d('Detected', when ? dateTime(when) : undefined), d('Created', str(e.creationTimeUtc) ? dateTime(str(e.creationTimeUtc)) : undefined),
      d('Source', str(e.source)), d('Engine', str(e.engine)), d('Created by', str(e.createdBy)), d('Details', details)),
  };
}

const PRACTICE_ORDER: Record<string, number> = { violation: 0, unabletocheck: 1, analyzing: 2, none: 3, ok: 4, suppressed: 5 };

export function bestPracticeRank(b: Obj): number { return PRACTICE_ORDER[canon(b.status)] ?? 1; }

export function bestPractice(b: Obj): Entity {
  const id = idOf(b.id);
  const name = str(b.bestPractice) ?? id ?? '(unnamed best practice)';
  const st = canon(b.status);
  const status: EntityStatus = st === 'ok' ? 'success' : st === 'violation' ? 'failed' : st === 'suppressed' ? 'disabled'
    : st === 'analyzing' ? 'running' : st === 'none' ? 'idle' : 'unknown';
  const words: Record<string, string> = { ok: 'OK', violation: 'Violation', suppressed: 'Suppressed', unabletocheck: 'Unable to check', analyzing: 'Analyzing', none: 'Not checked' };
  const note = str(b.note);
  return {
    key: `vbr:practice:${id ?? noId(name)}`, type: 'bestPractice', id, name, status,
    description: [words[st] ?? str(b.status) ?? 'Unknown', short(note, 60)].filter(Boolean).join(' · '),
    message: status === 'failed' ? note : undefined,
    hasChildren: false, actions: id ? [...DOC_ACTIONS] : [], ref: { id: id ?? '' },
    details: () => rows(d('Status', str(b.status)), d('Note', note)),
  };
}

const DAY = 86_400_000;

/** InstalledLicenseModel: the expiry is top level in 1.2 and in the socket/instance summaries since 1.3-rev2. */
export function license(l: Obj, c: NormCtx): Entity {
  const sockets = obj(l.socketLicenseSummary), instances = obj(l.instanceLicenseSummary), capacity = obj(l.capacityLicenseSummary);
  const earliest = (...v: unknown[]): string | undefined => v.map(str).filter((x): x is string => !!x && Number.isFinite(Date.parse(x)))
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  const expires = earliest(l.expirationDate, sockets.expirationDate, instances.expirationDate);
  const support = earliest(l.supportExpirationDate, sockets.supportExpirationDate, instances.supportExpirationDate);
  const days = expires ? Math.floor((Date.parse(expires) - c.now) / DAY) : undefined;
  const st = canon(l.status);
  const status: EntityStatus = st === 'expired' || st === 'invalid' || (days !== undefined && days < 0) ? 'failed'
    : days !== undefined && days <= 30 ? 'warning' : st === 'valid' ? 'success' : 'unknown';
  const expiry = days === undefined ? undefined : days < 0 ? `expired ${ago(expires, c.now)}`
    : days === 0 ? 'expires today' : days <= 30 ? `expires in ${days} day${days === 1 ? '' : 's'}` : `expires ${dateTime(expires).slice(0, 10)}`;
  const edition = label(l.edition) === 'EnterprisePlus' ? 'Enterprise Plus' : label(l.edition);
  const used = (a: unknown, b: unknown, what: string) => num(a) !== undefined ? `${count(num(b) ?? 0)} of ${count(num(a))} ${what}` : undefined;
  const actions: ActionId[] = ['openJson', 'openXml'];
  return {
    key: 'vbr:license', type: 'license', name: [edition, str(l.type)].filter(Boolean).join(' · ') || 'License', status,
    description: [str(l.status) ?? 'Unknown', expiry].filter(Boolean).join(' · '),
    hasChildren: false, actions, ref: { license: '1' },
    details: () => rows(d('Status', str(l.status)), d('Edition', edition), d('Type', str(l.type)), d('Licensed to', str(l.licensedTo)),
      d('Expires', expires ? dateTime(expires) : undefined), d('Support expires', support ? dateTime(support) : undefined),
      d('Sockets', used(sockets.licensedSocketsNumber, sockets.usedSocketsNumber, 'used')),
      d('Instances', used(instances.licensedInstancesNumber, instances.usedInstancesNumber, 'used')),
      d('Capacity', num(capacity.licensedCapacityTb) !== undefined ? `${num(capacity.usedCapacityTb) ?? 0} of ${num(capacity.licensedCapacityTb)} TB used` : undefined),
      d('Support ID', str(l.supportId)), d('Cloud Connect', str(l.cloudConnect)),
      d('Auto update', l.autoUpdateEnabled === undefined ? undefined : l.autoUpdateEnabled ? 'yes' : 'no')),
  };
}
