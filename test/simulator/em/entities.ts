// EM entities and references as XNode trees, in the element order of RestAPI.xsd.
import { BackupServerRec, EmData, JobRec, RepositoryRec, SessionRec, TaskRec, sessionState, taskState } from './data';
import { Link, XNode, iso } from './repr';

export type Rec =
  | { t: 'BackupServer'; r: BackupServerRec } | { t: 'Job'; r: JobRec } | { t: 'Repository'; r: RepositoryRec }
  | { t: 'BackupJobSession' | 'ReplicaJobSession'; r: SessionRec } | { t: 'BackupTaskSession' | 'ReplicaTaskSession'; r: TaskRec };

const COLL: Record<Rec['t'], string> = {
  BackupServer: 'backupServers', Job: 'jobs', Repository: 'repositories', BackupJobSession: 'backupSessions',
  ReplicaJobSession: 'replicaSessions', BackupTaskSession: 'backupTaskSessions', ReplicaTaskSession: 'replicaTaskSessions',
};

export function uid(type: string, id: string): string { return `urn:veeam:${type}:${id}`; }

function stamp(ms: number): string { return iso(ms).replace('T', ' ').slice(0, 19); }

export function recName(rec: Rec): string {
  switch (rec.t) {
    case 'BackupServer': case 'Job': case 'Repository': return rec.r.name;
    case 'BackupJobSession': case 'ReplicaJobSession': return `${rec.r.job.name}@${stamp(rec.r.start)}`;
    default: return `${rec.r.vm}@${stamp(rec.r.start)}`;
  }
}

/** EmOptions.nulls: the ids, dates and numbers an entity or reference carries. */
const NULLABLE = new Set(['UID', 'JobUid', 'JobSessionUid', 'CreationTimeUTC', 'EndTimeUTC', 'NextRun', 'Port', 'Capacity', 'FreeSpace',
  'Progress', 'TotalSize']);

export class Builder {
  constructor(private readonly base: () => string, private readonly data: EmData, private readonly nulls = false) {}

  /** With `nulls`, every NULLABLE attribute and field that has a value becomes null (XML: no attribute, an empty element). */
  private nullable(n: XNode): XNode {
    if (!this.nulls) { return n; }
    const blank = <T>([k, v]: [string, T]): [string, T | null] => [k, v !== undefined && NULLABLE.has(k) ? null : v];
    return { ...n, attrs: n.attrs?.map(blank), fields: n.fields?.map(blank), jsonExtra: n.jsonExtra?.map(blank) };
  }

  href(rec: Rec, entity = false): string {
    return `${this.base()}/api/${COLL[rec.t]}/${rec.r.id}${entity ? '?format=Entity' : ''}`;
  }

  private serverLink(s: BackupServerRec): Link {
    return { Rel: 'Up', Type: 'BackupServerReference', Href: `${this.base()}/api/backupServers/${s.id}`, Name: s.name };
  }

  private links(rec: Rec, entity: boolean): Link[] {
    const b = this.base();
    const name = recName(rec);
    const alt: Link = entity
      ? { Rel: 'Alternate', Type: `${rec.t}Reference`, Href: this.href(rec), Name: name }
      : { Rel: 'Alternate', Type: rec.t, Href: this.href(rec, true), Name: name };
    const own = this.href(rec);
    switch (rec.t) {
      case 'BackupServer': return [alt,
        { Rel: 'Down', Type: 'JobReferenceList', Href: `${own}/jobs` },
        { Rel: 'Down', Type: 'RepositoryReferenceList', Href: `${own}/repositories` },
        { Rel: 'Start', Href: `${own}?action=collect` }];
      case 'Repository': return [this.serverLink(rec.r.server), alt];
      case 'Job': return [this.serverLink(rec.r.server), alt,
        { Rel: 'Down', Type: `${rec.r.sessionKind}ReferenceList`, Href: `${own}/backupSessions` },
        { Rel: 'Start', Href: `${own}?action=start` }, { Rel: 'Stop', Href: `${own}?action=stop` },
        { Rel: 'Retry', Href: `${own}?action=retry` }, { Rel: 'ToggleScheduleEnabled', Href: `${own}?action=toggleScheduleEnabled` }];
      case 'BackupJobSession': case 'ReplicaJobSession': {
        const down = rec.t === 'BackupJobSession' ? 'taskSessions' : 'replicaTaskSessions';
        return [this.serverLink(rec.r.job.server),
          { Rel: 'Up', Type: 'JobReference', Href: `${b}/api/jobs/${rec.r.job.id}`, Name: rec.r.job.name }, alt,
          { Rel: 'Down', Type: `${rec.t === 'BackupJobSession' ? 'Backup' : 'Replica'}TaskSessionReferenceList`, Href: `${own}/${down}` }];
      }
      default: {
        const s = rec.r.session;
        return [this.serverLink(s.job.server),
          { Rel: 'Up', Type: `${s.kind}Reference`, Href: this.href({ t: s.kind, r: s }), Name: recName({ t: s.kind, r: s }) }, alt];
      }
    }
  }

  ref(rec: Rec): XNode {
    return this.nullable(this.plainRef(rec));
  }

  private plainRef(rec: Rec): XNode {
    return { tag: 'Ref', attrs: [['UID', uid(rec.t, rec.r.id)], ['Name', recName(rec)], ['Href', this.href(rec)], ['Type', `${rec.t}Reference`]],
      links: this.links(rec, false) };
  }

  entity(rec: Rec, now = Date.now()): XNode {
    return this.nullable(this.plainEntity(rec, now));
  }

  private plainEntity(rec: Rec, now: number): XNode {
    const attrs: [string, string][] = [['Type', rec.t], ['Href', this.href(rec, true)], ['Name', recName(rec)], ['UID', uid(rec.t, rec.r.id)]];
    const links = this.links(rec, true);
    switch (rec.t) {
      case 'BackupServer': {
        const r = rec.r;
        return { tag: rec.t, attrs, links, fields: [['Description', r.description], ['Port', r.port], ['Version', r.version]] };
      }
      case 'Repository': {
        const r = rec.r;
        // RestAPI.xsd (2017) has only Capacity and FreeSpace; Kind (newer servers) is JSON-only here.
        return { tag: rec.t, attrs, links, fields: [['Capacity', r.capacity], ['FreeSpace', r.free]], jsonExtra: [['Kind', r.kind]] };
      }
      case 'Job': {
        const r = rec.r;
        return { tag: rec.t, attrs, links, fields: [['JobType', r.jobType], ['Platform', r.platform], ['Description', r.description],
          ['ScheduleConfigured', true], ['ScheduleEnabled', r.scheduleEnabled], ['NextRun', r.scheduleEnabled ? iso(r.nextRun) : undefined]] };
      }
      case 'BackupJobSession': case 'ReplicaJobSession': {
        const s = rec.r;
        const st = sessionState(s, now);
        return { tag: rec.t, attrs, links, fields: [['JobUid', uid('Job', s.job.id)], ['JobName', s.job.name], ['JobType', s.job.jobType],
          ['CreationTimeUTC', iso(s.start)], ['EndTimeUTC', st.ended ? iso(s.end) : undefined], ['State', st.state], ['Result', st.result],
          ['Progress', st.progress], ['FailureMessage', st.ended ? s.failureMessage : ''], ['IsRetry', s.isRetry]] };
      }
      default: {
        const t = rec.r;
        const st = taskState(t, now);
        attrs.splice(3, 0, ['VmDisplayName', t.vm]);
        return { tag: rec.t, attrs, links, fields: [['JobSessionUid', uid(t.session.kind, t.session.id)],
          ['CreationTimeUTC', iso(st.state === 'Pending' ? t.session.start : t.start)], ['EndTimeUTC', st.ended ? iso(t.end) : undefined],
          ['State', st.state], ['Result', st.result], ['Reason', st.ended ? t.reason : ''], ['TotalSize', t.totalSize]] };
      }
    }
  }

  find(type: Rec['t'], id: string): Rec | undefined {
    const d = this.data;
    switch (type) {
      case 'BackupServer': { const r = d.servers.find((x) => x.id === id); return r && { t: type, r }; }
      case 'Job': { const r = d.job(id); return r && { t: type, r }; }
      case 'Repository': { const r = d.repositories.find((x) => x.id === id); return r && { t: type, r }; }
      case 'BackupJobSession': case 'ReplicaJobSession': { const r = d.session(id); return r && r.kind === type ? { t: type, r } : undefined; }
      default: { const r = d.task(id); return r && r.kind === type ? { t: type, r } : undefined; }
    }
  }
}

/** List element names per type: `<Jobs><Job/>` and the query `<Entities><Jobs>`. */
export const LIST_TAG: Record<Rec['t'], string> = {
  BackupServer: 'BackupServers', Job: 'Jobs', Repository: 'Repositories', BackupJobSession: 'BackupJobSessions',
  ReplicaJobSession: 'ReplicaJobSessions', BackupTaskSession: 'BackupTaskSessions', ReplicaTaskSession: 'ReplicaTaskSessions',
};
