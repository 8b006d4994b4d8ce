// Persistent Ed25519 node identity: a libp2p private key in protobuf form in a file of mode 0600.
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import type { PrivateKey } from '@libp2p/interface';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

export async function createIdentityFile(path: string): Promise<string> {
  if (existsSync(path)) throw new Error(`identity file ${path} already exists; refusing to overwrite it`);
  const key = await generateKeyPair('Ed25519');
  writeFileSync(path, privateKeyToProtobuf(key), { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return peerIdFromPrivateKey(key).toString();
}

export function loadIdentity(path: string): { privateKey: PrivateKey; peerId: string } {
  if (!existsSync(path)) throw new Error(`identity file ${path} not found (run dan-node init first)`);
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`identity file ${path} has mode ${mode.toString(8)}; it must not be readable by others (chmod 600)`);
  const privateKey = privateKeyFromProtobuf(readFileSync(path));
  return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString() };
}
