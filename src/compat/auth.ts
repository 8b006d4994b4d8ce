// Authentication of the legacy wallet-provider protocol:
// - EOA (keygen, addEphemeralKey): an EIP-712 signature, domain {name "SilentShard authentication",
//   version "0.1.0"} (no chain id), primary type Request{setup, challenge}, over the setup's
//   t/n/metadata and the server's challenge; it recovers to the address in credentials.id.
// - Ephemeral (signgen): an ed25519 signature (RFC 8032) by a key registered with the key at
//   keygen or addEphemeralKey, over the UTF-8 bytes of JSON.stringify({setup, challenge}) with the
//   setup object exactly as the client sent it.
import { ed25519 } from '@noble/curves/ed25519.js';
import { hashTypedData, hexToBytes, recoverAddress, type Address, type Hex } from 'viem';
import { compatFail } from './errors.ts';
import type { TaggedValue } from './frames.ts';

export const LEGACY_DOMAIN = { name: 'SilentShard authentication', version: '0.1.0' } as const;

const TaggedValue = [
  { name: 'tag', type: 'uint16' },
  { name: 'value', type: 'string' },
] as const;

const TYPES = {
  keygen: {
    Request: [
      { name: 'setup', type: 'KeygenSetupOpts' },
      { name: 'challenge', type: 'string' },
    ],
    KeygenSetupOpts: [
      { name: 't', type: 'uint32' },
      { name: 'n', type: 'uint32' },
      { name: 'metadata', type: 'TaggedValue[]' },
    ],
    TaggedValue,
  },
  addEphemeralKey: {
    Request: [
      { name: 'setup', type: 'AddEphemeralKeyOpts' },
      { name: 'challenge', type: 'string' },
    ],
    AddEphemeralKeyOpts: [
      { name: 'n', type: 'uint32' },
      { name: 'metadata', type: 'TaggedValue[]' },
    ],
    TaggedValue,
  },
} as const;

export type EoaOperation = keyof typeof TYPES;

/** The EIP-712 typed data an EOA signs for `operation` (what the client library builds). */
export function eoaTypedData(operation: EoaOperation, setup: { t?: number; n: number; metadata: TaggedValue[] }, challenge: string) {
  const body = operation === 'keygen' ? { t: setup.t ?? 0, n: setup.n, metadata: setup.metadata } : { n: setup.n, metadata: setup.metadata };
  return { domain: LEGACY_DOMAIN, types: TYPES[operation], primaryType: 'Request' as const, message: { setup: body, challenge } };
}

/** Verify an EOA authentication; returns the EIP-712 hash that was signed. UNAUTHORIZED otherwise. */
export async function verifyEoa(
  operation: EoaOperation,
  setup: { t?: number; n: number; metadata: TaggedValue[] },
  challenge: string,
  signer: Address,
  signature: Hex,
): Promise<Hex> {
  const digest = hashTypedData(eoaTypedData(operation, setup, challenge) as Parameters<typeof hashTypedData>[0]);
  let recovered: Address;
  try {
    recovered = await recoverAddress({ hash: digest, signature });
  } catch {
    compatFail('UNAUTHORIZED', 'the EOA signature is not a valid signature');
  }
  if (recovered.toLowerCase() !== signer.toLowerCase()) compatFail('UNAUTHORIZED', 'the EOA signature was not made by credentials.id over this request');
  return digest;
}

/** The bytes an ephemeral key signs: JSON.stringify({setup, challenge}) with the setup as sent. */
export function ephemeralSignedBytes(setupText: string, challenge: string): Uint8Array {
  // JSON.parse keeps key order and JSON.stringify is canonical for it, so this equals the client's
  // JSON.stringify of the object it sent (the frame itself is that same JSON.stringify).
  return new TextEncoder().encode(JSON.stringify({ setup: JSON.parse(setupText), challenge }));
}

/** Verify an ed25519 signature by a registered ephemeral key; UNAUTHORIZED otherwise. */
export function verifyEphemeral(setupText: string, challenge: string, publicKey: Hex, signature: Hex): void {
  let ok = false;
  try {
    ok = ed25519.verify(hexToBytes(signature), ephemeralSignedBytes(setupText, challenge), hexToBytes(publicKey), { zip215: false });
  } catch {
    ok = false; // a public key or signature that does not decode is a failed check
  }
  if (!ok) compatFail('UNAUTHORIZED', 'the ephemeral signature does not verify with the registered key');
}
