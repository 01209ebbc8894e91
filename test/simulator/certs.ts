// Test certificates made with the openssl CLI (EC P-256, so generation takes a few ms).
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CertMode } from './types';

export interface GeneratedCert {
  mode: CertMode;
  pem: string;
  key: string;
  fingerprint256: string;
  subject: string;
  validTo: string;
  /** Only in 'ca-signed' mode (as the contract's caPem). */
  caPem?: string;
  /** The issuing CA in every CA-signed mode (ca-signed, expired, wrong-host). */
  issuerPem?: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

function ecKey(dir: string, file: string): void {
  openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

function makeCa(dir: string): void {
  ecKey(dir, 'ca.key');
  openssl(dir, ['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', '/CN=Veeam Simulator Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.pem']);
}

/** `openssl ca` is the only 3.0-era way to set explicit validity dates (req/x509 have no -not_before). */
function signWithCa(dir: string, cn: string, san: string, dates?: { start: string; end: string }): void {
  ecKey(dir, 'leaf.key');
  openssl(dir, ['req', '-new', '-key', 'leaf.key', '-subj', `/CN=${cn}`, '-out', 'leaf.csr']);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), crypto.randomBytes(8).toString('hex').replace(/^./, '1') + '\n');
  fs.writeFileSync(path.join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = sim', '[sim]', 'dir = .', 'database = index.txt', 'serial = serial', 'new_certs_dir = .',
    'certificate = ca.pem', 'private_key = ca.key', 'default_md = sha256', 'policy = anything', 'unique_subject = no',
    'copy_extensions = none', 'x509_extensions = leaf_ext', 'default_days = 825',
    '[anything]', 'commonName = supplied',
    '[leaf_ext]', 'basicConstraints = CA:FALSE', 'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth', `subjectAltName = ${san}`, '',
  ].join('\n'));
  const args = ['ca', '-batch', '-config', 'ca.cnf', '-notext', '-in', 'leaf.csr', '-out', 'leaf.pem'];
  if (dates) args.push('-startdate', dates.start, '-enddate', dates.end);
  openssl(dir, args);
}

function asn1Date(d: Date): string {
  // YYMMDDHHMMSSZ (UTCTime), accepted by `openssl ca -startdate/-enddate`.
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

/** A fixed CA to sign the leaf with (e.g. test/fixtures/test-ca.pem), instead of a fresh one. */
export interface SigningCa { certPem: string; keyPem: string }

export function generateCertificate(mode: CertMode, signWith?: SigningCa): GeneratedCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-sim-cert-'));
  try {
    let withCa = true;
    if (mode === 'self-signed') {
      withCa = false;
      ecKey(dir, 'leaf.key');
      openssl(dir, ['req', '-x509', '-new', '-key', 'leaf.key', '-sha256', '-days', '825', '-subj', '/CN=vb365.lab.local',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=CA:FALSE',
        '-addext', 'extendedKeyUsage=serverAuth', '-out', 'leaf.pem']);
    } else {
      if (signWith) {
        fs.writeFileSync(path.join(dir, 'ca.pem'), signWith.certPem);
        fs.writeFileSync(path.join(dir, 'ca.key'), signWith.keyPem, { mode: 0o600 });
      } else {
        makeCa(dir);
      }
      if (mode === 'ca-signed') {
        signWithCa(dir, 'vb365.lab.local', 'IP:127.0.0.1,DNS:localhost');
      } else if (mode === 'expired') {
        const day = 86_400_000;
        const now = Date.now();
        signWithCa(dir, 'vb365.lab.local', 'IP:127.0.0.1,DNS:localhost',
          { start: asn1Date(new Date(now - 400 * day)), end: asn1Date(new Date(now - 30 * day)) });
      } else {
        signWithCa(dir, 'wrong.example.invalid', 'DNS:wrong.example.invalid');
      }
    }
    const pem = fs.readFileSync(path.join(dir, 'leaf.pem'), 'utf8');
    const key = fs.readFileSync(path.join(dir, 'leaf.key'), 'utf8');
    const x = new crypto.X509Certificate(pem);
    const issuerPem = withCa ? fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8') : undefined;
    return {
      mode, pem, key, fingerprint256: x.fingerprint256, subject: x.subject, validTo: x.validTo,
      caPem: mode === 'ca-signed' ? issuerPem : undefined, issuerPem,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
