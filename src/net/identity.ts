// Persistent Ed25519 node identity: a libp2p private key in protobuf form in a file of mode 0600,
// and statements signed with it (a peer id is its public key, so any node can check them).
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id';
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

/** Statements signed with a node's identity key (Ed25519), checked against any operator's peer id. */
export interface NodeSigner {
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** True when `signature` is `peer`'s signature on `data`; false for any malformed input. */
  verify(peer: string, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

export function nodeSigner(privateKey: PrivateKey): NodeSigner {
  return {
    sign: async (data) => privateKey.sign(data),
    verify: async (peer, data, signature) => {
      try {
        const key = peerIdFromString(peer).publicKey;
        return key !== undefined && (await key.verify(data, signature));
      } catch {
        return false;
      }
    },
  };
}

// ---------------------------------------------------------------- round-1 broadcast signatures
// The threshold engine (src/tss) signs its round-1 broadcasts with the node's identity key and
// checks every party's against the public key inside that party's peer id (protocols/echo.ts).
import { KeyObject, createPrivateKey as ed25519PrivateKey, createPublicKey as ed25519PublicKey, sign as ed25519Sign, verify as ed25519Verify } from 'node:crypto';
import { peerIdFromString as peerIdOfString } from '@libp2p/peer-id';
import type { BroadcastAuth } from '../tss/index.ts';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The raw Ed25519 public key inside a peer id string, or undefined (malformed, or not Ed25519). */
function ed25519KeyOfPeer(peerId: string | undefined): Uint8Array | undefined {
  if (typeof peerId !== 'string') return undefined;
  try {
    const key = peerIdOfString(peerId).publicKey;
    return key?.type === 'Ed25519' ? key.raw : undefined;
  } catch {
    return undefined;
  }
}

/** The node's Ed25519 identity key as a node:crypto key (what broadcastAuth signs with; it can be posted to a worker thread). */
export function identitySigningKey(privateKey: PrivateKey): KeyObject {
  if (privateKey.type !== 'Ed25519') throw new Error(`broadcast signatures need an Ed25519 identity key, got ${privateKey.type}`);
  return ed25519PrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, privateKey.raw.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
}

// Per process: parsed public keys by peer id, and the signing key found to match a peer id.
const publicKeys = new Map<string, KeyObject | null>();
const ownKeys = new Map<string, KeyObject>();

/**
 * The engine's BroadcastAuth for this node as party `self` of a session whose parties are
 * `peerIds` (index = party id): signs with the node's Ed25519 identity key (the libp2p key, or
 * identitySigningKey's) and verifies party i against the public key inside peerIds[i].
 * Synchronous (node:crypto, ~30 us to sign, ~70 us to verify); each peer's public key is parsed
 * once per process, and the check that the signing key is peerIds[self]'s runs once per key.
 * `verify` is false for any malformed input or unknown party. Throws when the key is not Ed25519
 * or not peerIds[self]'s.
 */
export function broadcastAuth(key: PrivateKey | KeyObject, self: number, peerIds: readonly string[]): BroadcastAuth {
  const signingKey = key instanceof KeyObject ? key : identitySigningKey(key);
  if (signingKey.asymmetricKeyType !== 'ed25519') throw new Error(`broadcast signatures need an Ed25519 identity key, got ${signingKey.asymmetricKeyType}`);
  const peers = [...peerIds];
  if (!ownKeys.get(peers[self])?.equals(signingKey)) {
    const own = ed25519KeyOfPeer(peers[self]);
    const ownRaw = ed25519PublicKey(signingKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
    if (!own || !Buffer.from(own).equals(ownRaw)) throw new Error(`party ${self}'s peer id (${peers[self]}) is not this node's identity`);
    ownKeys.set(peers[self], signingKey);
  }
  const publicKey = (party: number): KeyObject | null => {
    const peer = peers[party];
    let key = publicKeys.get(peer);
    if (key === undefined) {
      const raw = ed25519KeyOfPeer(peer);
      key = raw ? ed25519PublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' }) : null;
      if (publicKeys.size >= 1024) publicKeys.clear();
      publicKeys.set(peer, key);
    }
    return key;
  };
  return Object.freeze({
    sign: (message: Uint8Array): Uint8Array => new Uint8Array(ed25519Sign(null, message, signingKey)),
    verify: (party: number, message: Uint8Array, signature: Uint8Array): boolean => {
      if (!Number.isInteger(party) || party < 0 || party >= peers.length) return false;
      const key = publicKey(party);
      if (!key) return false;
      try {
        return ed25519Verify(null, message, key, signature);
      } catch {
        return false;
      }
    },
  });
}
