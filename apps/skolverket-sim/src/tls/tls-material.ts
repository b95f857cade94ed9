import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the Reflect polyfill before it loads
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withFileLock } from './file-lock.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
/** OID of the X.520 organizationIdentifier attribute: where the client certificate carries the organisation number. */
export const ORGANISATION_IDENTIFIER = '2.5.4.97';

export interface TlsMaterial {
  /** Absolute paths of the PEM files a client needs. */
  caPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  ca: string;
  serverCert: string;
  serverKey: string;
}

interface Pair {
  cert: x509.X509Certificate;
  key: CryptoKey;
}

const FILES = {
  ca: 'ca.pem',
  caKey: 'ca-key.pem',
  server: 'server.pem',
  serverKey: 'server-key.pem',
  client: 'client.pem',
  clientKey: 'client-key.pem',
} as const;

/**
 * The CA, the server certificate (localhost, 127.0.0.1, ::1) and the organiser's client certificate in `dir`:
 * reused when present and still valid, made when not. The client certificate carries the organisation
 * number in its subject (organizationIdentifier), as the organiser's certificates do in production.
 */
export async function ensureTlsMaterial(dir: string, organisation: { number: string; name: string }, now = new Date()): Promise<TlsMaterial> {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const path = (name: keyof typeof FILES) => join(root, FILES[name]);
  return withFileLock(join(root, '.tls.lock'), async () => {
    let ca = await load(path('ca'), path('caKey'));
    const caFresh = !ca || !validFor(ca.cert, now, 30 * DAY);
    if (caFresh) {
      ca = await createCa(now);
      await save(ca, path('ca'), path('caKey'));
    }
    const issuer = ca!;
    const server = caFresh ? undefined : await load(path('server'), path('serverKey'));
    if (!server || !(await usable(server, issuer, now)) || !hasLoopbackNames(server.cert)) {
      await save(await createLeaf(issuer, now, serverProfile()), path('server'), path('serverKey'));
    }
    const client = caFresh ? undefined : await load(path('client'), path('clientKey'));
    if (!client || !(await usable(client, issuer, now)) || organisationNumberOf(client.cert) !== organisation.number) {
      await save(await createLeaf(issuer, now, clientProfile(organisation)), path('client'), path('clientKey'));
    }
    return {
      caPath: path('ca'),
      clientCertPath: path('client'),
      clientKeyPath: path('clientKey'),
      ca: readFileSync(path('ca'), 'utf8'),
      serverCert: readFileSync(path('server'), 'utf8'),
      serverKey: readFileSync(path('serverKey'), 'utf8'),
    };
  });
}

/** The organisation number in a certificate's subject, or undefined. */
export function organisationNumberOf(cert: x509.X509Certificate | Buffer): string | undefined {
  const parsed = cert instanceof x509.X509Certificate ? cert : new x509.X509Certificate(cert);
  const value = parsed.subjectName.getField(ORGANISATION_IDENTIFIER)[0] ?? parsed.subjectName.getField('serialNumber')[0];
  return value?.match(/\d{10}/)?.[0];
}

export function commonNameOf(cert: Buffer): string | undefined {
  return new x509.X509Certificate(cert).subjectName.getField('CN')[0];
}

async function load(certPath: string, keyPath: string): Promise<Pair | undefined> {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const cert = new x509.X509Certificate(readFileSync(certPath, 'utf8'));
    const der = x509.PemConverter.decodeFirst(readFileSync(keyPath, 'utf8'));
    const key = await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
    return { cert, key };
  } catch {
    return undefined; // unreadable material is made anew
  }
}

async function save(pair: Pair, certPath: string, keyPath: string): Promise<void> {
  const der = await webcrypto.subtle.exportKey('pkcs8', pair.key);
  writeAtomically(keyPath, x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n', 0o600);
  writeAtomically(certPath, pair.cert.toString('pem') + '\n', 0o644);
}

function writeAtomically(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

const validFor = (cert: x509.X509Certificate, now: Date, margin: number) =>
  cert.notBefore.getTime() <= now.getTime() && cert.notAfter.getTime() > now.getTime() + margin;

async function usable(leaf: Pair, ca: Pair, now: Date): Promise<boolean> {
  return validFor(leaf.cert, now, DAY) && (await leaf.cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }));
}

function hasLoopbackNames(cert: x509.X509Certificate): boolean {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  return names.some((n) => n.type === 'ip' && n.value === '127.0.0.1') && names.some((n) => n.type === 'dns' && n.value === 'localhost');
}

const serial = () => {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString('hex');
};

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function createCa(now: Date): Promise<Pair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=provsync Skolverket simulator CA, O=provsync simulator',
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 3650 * DAY),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, key: keys.privateKey };
}

interface LeafProfile {
  subject: string;
  extensions: x509.Extension[];
}

function serverProfile(): LeafProfile {
  return {
    subject: 'CN=localhost, O=provsync simulator',
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    ],
  };
}

function clientProfile(organisation: { number: string; name: string }): LeafProfile {
  const name = organisation.name.replace(/[,+="\\<>;#]/g, ' ');
  return {
    subject: `CN=${name} provisioning client, O=${name}, ${ORGANISATION_IDENTIFIER}=${organisation.number}, C=SE`,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  };
}

async function createLeaf(ca: Pair, now: Date, profile: LeafProfile): Promise<Pair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: profile.subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 730 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
      ...profile.extensions,
    ],
  });
  return { cert, key: keys.privateKey };
}
