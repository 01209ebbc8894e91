// The contract check of what the VBR client sends: each recorded request against the spec of the
// revision it spoke (1.3-* → vbr_rest_1.3-rev2.json, 1.2-* and 1.1-* → vbr_rest_1.2-rev1.json), with
// the simulator's request checker. Undefined when the specs are not there.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSpec, type OpenApi } from '../simulator/openapi-validate';
import { checkRequest } from '../simulator/vbr/contract';
import type { RequestRecord } from '../simulator/types';

const SPECS = process.env.VEEAM_SPECS_DIR ?? path.resolve(__dirname, '../../../../shared/specs');

export function checkVbrRequests(records: RequestRecord[]): string[] | undefined {
  if (!fs.existsSync(path.join(SPECS, 'vbr_rest_1.3-rev2.json'))) { return undefined; }
  const specs: Record<string, OpenApi> = {};
  const specFor = (rev: string): OpenApi => {
    const file = rev.startsWith('1.3') ? 'vbr_rest_1.3-rev2.json' : 'vbr_rest_1.2-rev1.json';
    return (specs[file] ??= loadSpec(SPECS, file));
  };
  const out: string[] = [];
  for (const r of records) {
    const rev = String(r.headers['x-api-version'] ?? '');
    const check = checkRequest(specFor(rev || '1.3-rev2'), r.method, r.path, r.headers, r.body || undefined);
    if (!rev) { out.push(`${r.method} ${r.path.split('?')[0]}: no x-api-version`); }
    for (const e of check.errors) { out.push(`${r.method} ${r.path.split('?')[0]} (${rev}): ${e}`); }
  }
  return out;
}
