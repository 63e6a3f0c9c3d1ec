import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The tests' own certificate authority: a CA and a certificate it signed for 127.0.0.1 and localhost, made once with
// openssl under .data/test/ca and reused. Test stacks trust the CA through OUTBOUND_CA_FILE (and allow 127.0.0.1
// through OUTBOUND_ALLOW), and the HTTPS receiver serves the leaf certificate: certificates are checked for real,
// as against any receiver, with no verification switched off.

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = path.join(root, '.data', 'test', 'ca');

export interface TestCa {
  /** The CA certificate file (PEM), for OUTBOUND_CA_FILE. */
  caFile: string;
  caPem: string;
  /** The receiver's key and certificate (for 127.0.0.1 and localhost). */
  key: string;
  cert: string;
}

function make(into: string) {
  const at = (name: string) => path.join(into, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=Stayflow test CA'].concat([
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
    ]),
  );
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    at('key.pem'),
    '-out',
    at('leaf.csr'),
  ]);
  writeFileSync(at('leaf.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
  openssl(
    ['x509', '-req', '-in', at('leaf.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial'].concat([
      '-days',
      '3650',
      '-extfile',
      at('leaf.ext'),
      '-out',
      at('cert.pem'),
    ]),
  );
}

export function testCa(): TestCa {
  if (!existsSync(path.join(dir, 'cert.pem'))) {
    mkdirSync(path.dirname(dir), { recursive: true });
    // Made aside and moved into place: two processes asking at once both end with one complete set.
    const scratch = mkdtempSync(path.join(path.dirname(dir), 'ca-'));
    make(scratch);
    try {
      renameSync(scratch, dir);
    } catch {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return { caFile: path.join(dir, 'ca.pem'), caPem: read('ca.pem'), key: read('key.pem'), cert: read('cert.pem') };
}
