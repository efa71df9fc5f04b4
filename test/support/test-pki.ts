import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a throw-away certificate authority and the server certificates tests need. */
export interface TestPki {
  readonly dir: string;
  /** The CA certificate (PEM path) clients must trust. */
  readonly caCert: string;
  /** For 127.0.0.1 and localhost, signed by the CA. */
  readonly server: { readonly cert: string; readonly key: string };
  /** Signed by the CA but for `other.example` only. */
  readonly wrongName: { readonly cert: string; readonly key: string };
  /** For 127.0.0.1, signed by the CA, valid only in 2020. */
  readonly expired: { readonly cert: string; readonly key: string };
  /** A self-signed EC key and certificate for signing registry tokens (ES256). */
  readonly tokenSigner: { readonly cert: string; readonly key: string };
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates the CA and certificates under `dir` with the openssl CLI (about a second). */
export function createTestPki(dir: string): TestPki {
  mkdirSync(dir, { recursive: true });
  // A self-signed EC certificate valid for two days: the CA, and the token signer.
  const selfSigned = (name: string, subject: string): void =>
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-days',
        '2',
        '-subj',
        subject,
      ],
      dir,
    );
  selfSigned('ca', '/CN=kubefresh test CA');
  const leaf = (name: string, san: string, dates?: [string, string]): { cert: string; key: string } => {
    openssl(
      [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${name}`,
      ],
      dir,
    );
    writeFileSync(
      join(dir, `${name}.ext`),
      `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    if (dates === undefined) {
      openssl(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-CAcreateserial',
          '-days',
          '2',
          '-extfile',
          `${name}.ext`,
          '-out',
          `${name}.crt`,
        ],
        dir,
      );
    } else {
      // `openssl x509` cannot back-date; `openssl ca` can.
      mkdirSync(join(dir, 'ca-db'), { recursive: true });
      writeFileSync(join(dir, 'ca-db', 'index.txt'), '');
      writeFileSync(join(dir, 'ca-db', 'serial'), '1000\n');
      writeFileSync(
        join(dir, 'ca.cnf'),
        [
          '[ca]',
          'default_ca = test',
          '[test]',
          `dir = ${join(dir, 'ca-db')}`,
          'database = $dir/index.txt',
          'serial = $dir/serial',
          'new_certs_dir = $dir',
          'default_md = sha256',
          'policy = any',
          'copy_extensions = none',
          '[any]',
          'commonName = supplied',
          '',
        ].join('\n'),
      );
      openssl(
        [
          'ca',
          '-batch',
          '-config',
          'ca.cnf',
          '-cert',
          'ca.crt',
          '-keyfile',
          'ca.key',
          '-in',
          `${name}.csr`,
          '-out',
          `${name}.crt`,
          '-startdate',
          dates[0],
          '-enddate',
          dates[1],
          '-extfile',
          `${name}.ext`,
          '-notext',
        ],
        dir,
      );
    }
    return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  };
  const server = leaf('server', 'IP:127.0.0.1,DNS:localhost');
  const wrongName = leaf('wrong-name', 'DNS:other.example');
  const expired = leaf('expired', 'IP:127.0.0.1,DNS:localhost', ['20200101000000Z', '20200102000000Z']);
  selfSigned('token', '/CN=kubefresh test token signer');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    server,
    wrongName,
    expired,
    tokenSigner: { cert: join(dir, 'token.crt'), key: join(dir, 'token.key') },
  };
}

/** Reads a PEM file as text. */
export function pem(path: string): string {
  return readFileSync(path, 'utf8');
}
