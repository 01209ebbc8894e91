// Secret scan: counts every occurrence of known secrets (password, Basic credentials, VB365 access and
// refresh tokens, EM session tokens and logon SessionIds — as harvested by the simulator's --secrets-file)
// in everything under the given directories and in given texts (e.g. the opened `veeam:` documents).
//
// Each secret is searched as UTF-8 bytes, JSON-escaped (when that differs), URL-encoded (when that
// differs) and UTF-16LE. Beyond the raw bytes it also searches what raw bytes can hide:
//   - LevelDB (Chromium's IndexedDB / Local Storage): write-ahead `.log` files reassembled from their
//     32 KB blocks (a record split over a block boundary), and `.ldb`/`.sst` tables with every block
//     decompressed (Snappy) — a repeated substring is a back-reference there, not the plain bytes;
//   - SQLite (VS Code's state.vscdb): `sqlite3 FILE .dump` when the sqlite3 CLI exists, else Node's
//     node:sqlite (Node >= 22.13, e.g. the harness's Node 24), else raw bytes only (values that spill
//     into overflow pages could then be split).
// A hit reports the file (or text label), the secret's kind and the encoding — never the secret.
//
// Usage (CLI): node test/e2e/secret-scan.mjs --secrets FILE [--exclude PATH]... [--text LABEL=FILE]... DIR...
//   FILE is {"secrets":[{"kind","value"}]} (test/simulator/cli.ts --secrets-file). Exit 0 only with 0 hits.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX_FILE = 512 * 1024 * 1024;

/** The byte patterns one secret is searched as. */
export function encodingsOf(value) {
  const out = [['utf8', Buffer.from(value, 'utf8')]];
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) out.push(['json-escaped', Buffer.from(json, 'utf8')]);
  const url = encodeURIComponent(value);
  if (url !== value) out.push(['url-encoded', Buffer.from(url, 'utf8')]);
  out.push(['utf16le', Buffer.from(value, 'utf16le')]);
  return out;
}

function countIn(buf, needle) {
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + 1)) n++;
  return n;
}

// ------------------------------------------------------------------ LevelDB
function varint(buf, pos) {
  let v = 0; let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('varint past end');
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [v, pos];
    shift += 7;
    if (shift > 63) throw new Error('bad varint');
  }
}

/** Raw Snappy block decompression (the format LevelDB uses for compressed table blocks). */
export function snappyUncompress(src) {
  let [len, p] = varint(src, 0);
  const out = Buffer.alloc(len);
  let o = 0;
  while (p < src.length) {
    const tag = src[p++];
    const type = tag & 3;
    if (type === 0) { // literal
      let n = tag >> 2;
      if (n >= 60) { const bytes = n - 59; n = 0; for (let i = 0; i < bytes; i++) n |= src[p++] << (8 * i); }
      n += 1;
      src.copy(out, o, p, p + n); o += n; p += n;
      continue;
    }
    let n; let off;
    if (type === 1) { n = ((tag >> 2) & 7) + 4; off = ((tag >> 5) << 8) | src[p++]; }
    else if (type === 2) { n = (tag >> 2) + 1; off = src.readUInt16LE(p); p += 2; }
    else { n = (tag >> 2) + 1; off = src.readUInt32LE(p); p += 4; }
    if (off === 0 || off > o) throw new Error('bad snappy offset');
    for (let i = 0; i < n; i++, o++) out[o] = out[o - off];
  }
  if (o !== len) throw new Error('snappy length mismatch');
  return out;
}

/** A LevelDB log (.log / MANIFEST): the records' payloads with block headers and padding removed. */
export function levelDbLogPayload(buf) {
  const parts = [];
  for (let block = 0; block < buf.length; block += 32768) {
    let p = block;
    const end = Math.min(block + 32768, buf.length);
    while (p + 7 <= end) {
      const len = buf.readUInt16LE(p + 4); const type = buf[p + 6];
      if (type === 0 && len === 0) break; // zero padding
      if (p + 7 + len > end) break;
      parts.push(buf.subarray(p + 7, p + 7 + len));
      p += 7 + len;
    }
  }
  return Buffer.concat(parts);
}

/** A LevelDB table (.ldb / .sst): every block, decompressed. */
export function levelDbTableBlocks(buf) {
  if (buf.length < 48 || buf.readUInt32LE(buf.length - 8) !== 0x8b80fb57 || buf.readUInt32LE(buf.length - 4) !== 0xdb477524) {
    throw new Error('not a LevelDB table');
  }
  const footer = buf.subarray(buf.length - 48);
  let p = 0; let metaOff; let metaSize; let idxOff; let idxSize;
  [metaOff, p] = varint(footer, p); [metaSize, p] = varint(footer, p);
  [idxOff, p] = varint(footer, p); [idxSize, p] = varint(footer, p);
  const block = (off, size) => {
    const data = buf.subarray(off, off + size);
    const type = buf[off + size];
    return type === 1 ? snappyUncompress(data) : data;
  };
  const entries = (b) => { // values of a block's entries
    const nRestarts = b.readUInt32LE(b.length - 4);
    const limit = b.length - 4 - 4 * nRestarts;
    const vals = []; let q = 0;
    while (q < limit) {
      let shared; let nonShared; let vlen;
      [shared, q] = varint(b, q); [nonShared, q] = varint(b, q); [vlen, q] = varint(b, q);
      q += nonShared;
      vals.push(b.subarray(q, q + vlen)); q += vlen;
    }
    return vals;
  };
  const out = [block(metaOff, metaSize)];
  const index = block(idxOff, idxSize);
  out.push(index);
  for (const handle of entries(index)) {
    let [off, q] = varint(handle, 0); let size; [size, q] = varint(handle, q);
    out.push(block(off, size));
  }
  return Buffer.concat(out);
}

// ------------------------------------------------------------------ SQLite
let sqliteTool;
function sqliteDump(file) {
  if (sqliteTool === undefined) {
    sqliteTool = null;
    try { execFileSync('sqlite3', ['-version'], { stdio: 'ignore' }); sqliteTool = 'sqlite3'; } catch { /* none */ }
    if (!sqliteTool) {
      const harnessNode = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.vscode-harness/node24/bin/node');
      for (const node of [process.execPath, harnessNode]) {
        try {
          execFileSync(node, ['-e', 'require("node:sqlite")'], { stdio: 'ignore' });
          sqliteTool = node; break;
        } catch { /* no node:sqlite */ }
      }
    }
  }
  if (!sqliteTool) return undefined;
  if (sqliteTool === 'sqlite3') {
    return execFileSync('sqlite3', ['-readonly', file, '.dump'], { maxBuffer: MAX_FILE, stdio: ['ignore', 'pipe', 'ignore'] });
  }
  const js = `const {DatabaseSync}=require("node:sqlite");const db=new DatabaseSync(process.argv[1],{readOnly:true});
    for(const {name} of db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all()){
      for(const row of db.prepare('SELECT * FROM "'+name.replace(/"/g,'""')+'"').all()){
        for(const v of Object.values(row)){process.stdout.write(v instanceof Uint8Array?Buffer.from(v):String(v));process.stdout.write("\\n");}}}`;
  return execFileSync(sqliteTool, ['--no-warnings', '-e', js, file], { maxBuffer: MAX_FILE, stdio: ['ignore', 'pipe', 'ignore'] });
}
const isSqlite = (buf) => buf.subarray(0, 16).toString('latin1') === 'SQLite format 3\0';

// ------------------------------------------------------------------ scan
/**
 * @param {object} o
 * @param {{kind:string,value:string}[]} o.secrets
 * @param {{label:string,path:string}[]} [o.roots]   directories (or files) to walk
 * @param {{label:string,text:string}[]} [o.texts]   texts scanned as they are (e.g. editor contents)
 * @param {string[]} [o.exclude]                      absolute paths left out (with everything below)
 * @returns {{hits:{where:string,kind:string,encoding:string,view:string,count:number}[], files:number,
 *   bytes:number, dirs:number, perRoot:Record<string,{files:number,bytes:number}>, sqlite:number,
 *   leveldb:number, decoded:string[], errors:string[], excluded:string[], tool:string|null}}
 */
export function scanForSecrets({ secrets, roots = [], texts = [], exclude = [] }) {
  const patterns = [];
  for (const { kind, value } of secrets) {
    if (typeof value !== 'string' || value.length < 6) continue;
    for (const [encoding, bytes] of encodingsOf(value)) patterns.push({ kind, encoding, bytes });
  }
  const res = { hits: [], files: 0, bytes: 0, dirs: 0, perRoot: {}, sqlite: 0, leveldb: 0, decoded: [], errors: [], excluded: [], tool: null };
  const excluded = exclude.map((e) => path.resolve(e));
  const tally = new Map(); // where|kind|encoding|view → count
  const search = (where, view, buf) => {
    for (const p of patterns) {
      const n = countIn(buf, p.bytes);
      if (n) {
        const k = `${where}\u0000${p.kind}\u0000${p.encoding}\u0000${view}`;
        tally.set(k, (tally.get(k) ?? 0) + n);
      }
    }
  };
  const scanFile = (file, root) => {
    let buf;
    try {
      const st = fs.statSync(file);
      if (st.size > MAX_FILE) { res.errors.push(`${file}: ${st.size} bytes, over the limit, not scanned`); return; }
      buf = fs.readFileSync(file);
    } catch (e) { res.errors.push(`${file}: ${e.code ?? e.message}`); return; }
    res.files++; res.bytes += buf.length;
    res.perRoot[root.label].files++; res.perRoot[root.label].bytes += buf.length;
    search(file, 'raw', buf);
    const base = path.basename(file);
    try {
      if (isSqlite(buf)) {
        const dump = sqliteDump(file);
        res.tool = sqliteTool;
        if (dump) { res.sqlite++; search(file, 'sqlite rows', dump); }
      } else if (/\.(ldb|sst)$/.test(base)) {
        search(file, 'leveldb blocks', levelDbTableBlocks(buf)); res.leveldb++;
      } else if (/^(\d+\.log|MANIFEST-\d+)$/.test(base) && /leveldb|IndexedDB|Storage/i.test(file)) {
        search(file, 'leveldb records', levelDbLogPayload(buf)); res.leveldb++;
      }
    } catch (e) { res.errors.push(`${file}: decoding failed (${e.message}); raw bytes were scanned`); }
  };
  const walk = (p, root) => {
    if (excluded.some((x) => p === x || p.startsWith(x + path.sep))) { res.excluded.push(p); return; }
    let st;
    try { st = fs.lstatSync(p); } catch (e) { res.errors.push(`${p}: ${e.code ?? e.message}`); return; }
    if (st.isSymbolicLink()) return; // not followed: whatever it points to is scanned where it lives, if in scope
    if (st.isDirectory()) {
      res.dirs++;
      let names = [];
      try { names = fs.readdirSync(p); } catch (e) { res.errors.push(`${p}: ${e.code ?? e.message}`); }
      for (const n of names.sort()) walk(path.join(p, n), root);
    } else if (st.isFile()) scanFile(p, root);
  };
  for (const root of roots) {
    res.perRoot[root.label] = { files: 0, bytes: 0 };
    if (!fs.existsSync(root.path)) { res.errors.push(`${root.label}: ${root.path} does not exist`); continue; }
    walk(path.resolve(root.path), root);
  }
  for (const t of texts) {
    res.perRoot[`text: ${t.label}`] = { files: 1, bytes: Buffer.byteLength(t.text) };
    search(`text: ${t.label}`, 'text', Buffer.from(t.text, 'utf8'));
  }
  for (const [k, count] of tally) {
    const [where, kind, encoding, view] = k.split('\u0000');
    res.hits.push({ where, kind, encoding, view, count });
  }
  return res;
}

/** Human-readable report lines (never the secrets). */
export function formatScan(res, { relativeTo } = {}) {
  const rel = (w) => (relativeTo && path.isAbsolute(w) ? path.relative(relativeTo, w) || w : w);
  const lines = [];
  for (const [label, r] of Object.entries(res.perRoot)) lines.push(`  scanned ${label}: ${r.files} file(s), ${r.bytes} bytes`);
  lines.push(`  total: ${res.files} files in ${res.dirs} dirs, ${res.bytes} bytes; ${res.sqlite} SQLite dumps (${res.tool ?? 'no SQLite tool'}), ${res.leveldb} LevelDB files decoded`);
  for (const x of res.excluded) lines.push(`  excluded: ${x}`);
  for (const e of res.errors) lines.push(`  note: ${e}`);
  for (const h of res.hits) lines.push(`  HIT ${h.kind} (${h.encoding}, ${h.view}) ×${h.count} in ${rel(h.where)}`);
  lines.push(`  hits: ${res.hits.reduce((a, h) => a + h.count, 0)} in ${new Set(res.hits.map((h) => h.where)).size} place(s)`);
  return lines;
}

// ------------------------------------------------------------------ CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let secretsFile; const exclude = []; const roots = []; const texts = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--secrets') secretsFile = args[++i];
    else if (a === '--exclude') exclude.push(args[++i]);
    else if (a === '--text') { const [label, file] = args[++i].split(/=(.*)/s); texts.push({ label, text: fs.readFileSync(file, 'utf8') }); }
    else if (a === '-h' || a === '--help') {
      console.log('Usage: secret-scan.mjs --secrets FILE [--exclude PATH]... [--text LABEL=FILE]... DIR...');
      process.exit(0);
    } else roots.push({ label: a, path: a });
  }
  if (!secretsFile || (!roots.length && !texts.length)) { console.error('need --secrets FILE and at least one DIR'); process.exit(2); }
  const { secrets } = JSON.parse(fs.readFileSync(secretsFile, 'utf8'));
  const kinds = {};
  for (const s of secrets) kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
  console.log(`secrets: ${JSON.stringify(kinds)}`);
  const res = scanForSecrets({ secrets, roots, texts, exclude });
  for (const l of formatScan(res)) console.log(l);
  process.exit(res.hits.length ? 1 : 0);
}
