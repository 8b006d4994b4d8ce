// Frames of the legacy wallet-provider WebSocket protocol, as @silencelaboratories/walletprovider-sdk
// 0.3 (used by @biconomy/sdk 0.0.10's danActions) sends and expects them. One socket per operation:
//   client -> setup JSON, server -> challenge (64 hex chars), client -> authentication JSON,
//   server -> result string, client closes. On any error the server closes the socket.
// This module parses and checks frames (untrusted text from the client, or from a peer that relays
// it) and formats results; it does no I/O and no signature checks (see auth.ts).
import { isAddress, type Address, type Hex } from 'viem';
import { compatFail } from './errors.ts';

/** Metadata tags of the setup frames. */
export const TAG = { permissions: 1, ephemeralClaim: 2, keyId: 3 } as const;

export const LIMITS = {
  /** Largest frame accepted (a signgen setup carries a base64 userOp). */
  maxFrameBytes: 512 * 1024,
  maxMetadata: 8,
  maxIdLength: 128,
  /** Longest ephemeral-key lifetime the client library allows (365 days). */
  maxEphemeralLifetimeSec: 365 * 24 * 3600,
} as const;

export interface TaggedValue {
  tag: number;
  value: string;
}

/** An ephemeral ed25519 key the owner registers with a key: it authenticates signgen requests. */
export interface EphemeralClaim {
  ephId: string;
  /** 32-byte ed25519 public key, 0x-hex. */
  ephPK: Hex;
  /** Unix seconds. */
  expiry: number;
}

export interface KeygenSetup {
  t: number;
  n: number;
  metadata: TaggedValue[];
  /** The tag-2 value as sent (the exact string the EOA signed) and its parsed form. */
  claimJson: string;
  claim: EphemeralClaim;
}

export interface SigngenSetup {
  t: number;
  keyId: string;
  /** base64 of the UTF-8 outer JSON (see sign-request.ts). */
  message: string;
}

export interface AddEphemeralKeySetup {
  n: number;
  keyId: string;
  metadata: TaggedValue[];
  claimJson: string;
  claim: EphemeralClaim;
}

export interface AuthFrame {
  method: 'eoa' | 'ephemeral';
  /** The EOA address (method eoa) or the ephemeral key id (method ephemeral). */
  id: string;
  /** The claim the client attached (the exact string). */
  claimJson: string;
  /** 0x-hex: a 65-byte EIP-712 signature (eoa) or a 64-byte ed25519 signature (ephemeral). */
  signature: Hex;
}

const ID = /^[\x21-\x7e]+$/; // printable ASCII, no spaces
const HEX = (bytes: number) => new RegExp(`^0x[0-9a-fA-F]{${2 * bytes}}$`);
const PK = HEX(32);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A JSON object from untrusted text; MALFORMED_FRAME otherwise (`what` names it in the message). */
export function parseJson(text: string, what: string): Record<string, unknown> {
  if (typeof text !== 'string') compatFail('MALFORMED_FRAME', `${what} must be a text frame`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    compatFail('MALFORMED_FRAME', `${what} is not valid JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) compatFail('MALFORMED_FRAME', `${what} must be a JSON object`);
  return v as Record<string, unknown>;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) compatFail('MALFORMED_FRAME', `${field} must be an integer in [${min}, ${max}]`);
  return v;
}

function id(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > LIMITS.maxIdLength || !ID.test(v)) {
    compatFail('MALFORMED_FRAME', `${field} must be 1 to ${LIMITS.maxIdLength} printable characters`);
  }
  return v;
}

function onlyKeys(o: Record<string, unknown>, allowed: string[], what: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) compatFail('MALFORMED_FRAME', `${what} has unexpected field(s): ${extra.slice(0, 3).join(', ')}`);
}

function metadata(v: unknown): TaggedValue[] {
  if (!Array.isArray(v) || v.length > LIMITS.maxMetadata) compatFail('MALFORMED_FRAME', `metadata must be an array of at most ${LIMITS.maxMetadata} entries`);
  return v.map((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) compatFail('MALFORMED_FRAME', `metadata[${i}] must be an object`);
    const { tag, value } = e as Record<string, unknown>;
    onlyKeys(e as Record<string, unknown>, ['tag', 'value'], `metadata[${i}]`);
    if (typeof value !== 'string') compatFail('MALFORMED_FRAME', `metadata[${i}].value must be a string`);
    return { tag: int(tag, `metadata[${i}].tag`, 0, 0xffff), value };
  });
}

/** The single value with `tag`; MALFORMED_FRAME when it is missing or repeated. */
function tagged(entries: TaggedValue[], tag: number, what: string): string {
  const found = entries.filter((e) => e.tag === tag);
  if (found.length !== 1) compatFail('MALFORMED_FRAME', `metadata must hold exactly one ${what} (tag ${tag})`);
  return found[0].value;
}

/** Parse an ephemeral-key claim `{"ephId","ephPK","expiry"}`. */
export function parseClaim(json: string): EphemeralClaim {
  const o = parseJson(json, 'ephemeral key claim');
  onlyKeys(o, ['ephId', 'ephPK', 'expiry'], 'ephemeral key claim');
  if (typeof o.ephPK !== 'string' || !PK.test(o.ephPK)) compatFail('MALFORMED_FRAME', 'ephPK must be a 32-byte 0x-hex ed25519 public key');
  return { ephId: id(o.ephId, 'ephId'), ephPK: o.ephPK.toLowerCase() as Hex, expiry: int(o.expiry, 'expiry', 1, Number.MAX_SAFE_INTEGER) };
}

/** `{"t","n","metadata":[{"tag":2,"value":<claim>}]}` (an unsigned key_label is tolerated). */
export function parseKeygenSetup(text: string): KeygenSetup {
  const o = parseJson(text, 'keygen setup');
  onlyKeys(o, ['t', 'n', 'metadata', 'key_label'], 'keygen setup');
  const t = int(o.t, 't', 1, 0xffffffff);
  const n = int(o.n, 'n', 1, 0xffffffff);
  const entries = metadata(o.metadata);
  if (entries.some((e) => e.tag === TAG.permissions)) compatFail('UNSUPPORTED', 'permissions metadata (tag 1) is not supported; give the key a policy through dan_keyGen');
  if (entries.some((e) => e.tag !== TAG.ephemeralClaim)) compatFail('MALFORMED_FRAME', 'keygen metadata may only hold the ephemeral key claim (tag 2)');
  const claimJson = tagged(entries, TAG.ephemeralClaim, 'ephemeral key claim');
  return { t, n, metadata: entries, claimJson, claim: parseClaim(claimJson) };
}

/** `{"t","key_id","message":<base64>}`. */
export function parseSigngenSetup(text: string): SigngenSetup {
  const o = parseJson(text, 'signgen setup');
  onlyKeys(o, ['t', 'key_id', 'message'], 'signgen setup');
  if (typeof o.message !== 'string' || o.message.length === 0 || o.message.length % 4 !== 0 || !BASE64.test(o.message)) compatFail('MALFORMED_FRAME', 'message must be non-empty base64');
  return { t: int(o.t, 't', 1, 0xffffffff), keyId: id(o.key_id, 'key_id'), message: o.message };
}

/** `{"n","key_id","metadata":[{"tag":3,"value":<key id>},{"tag":2,"value":<claim>}]}`. */
export function parseAddEphemeralKeySetup(text: string): AddEphemeralKeySetup {
  const o = parseJson(text, 'addEphemeralKey setup');
  onlyKeys(o, ['n', 'key_id', 'metadata'], 'addEphemeralKey setup');
  const keyId = id(o.key_id, 'key_id');
  const entries = metadata(o.metadata);
  if (entries.some((e) => e.tag !== TAG.ephemeralClaim && e.tag !== TAG.keyId)) compatFail('MALFORMED_FRAME', 'addEphemeralKey metadata may only hold the key id (tag 3) and the claim (tag 2)');
  if (tagged(entries, TAG.keyId, 'key id') !== keyId) compatFail('MALFORMED_FRAME', 'the key id in metadata differs from key_id');
  const claimJson = tagged(entries, TAG.ephemeralClaim, 'ephemeral key claim');
  return { n: int(o.n, 'n', 1, 0xffffffff), keyId, metadata: entries, claimJson, claim: parseClaim(claimJson) };
}

/** `{"credentials":{"credentials":<claim>,"method":"eoa"|"ephemeral","id":<address|ephId>},"signature":<hex>}`. */
export function parseAuthFrame(text: string, expected: AuthFrame['method']): AuthFrame {
  const o = parseJson(text, 'authentication');
  onlyKeys(o, ['credentials', 'signature'], 'authentication');
  const c = o.credentials;
  if (typeof c !== 'object' || c === null || Array.isArray(c)) compatFail('MALFORMED_FRAME', 'credentials must be an object');
  const { credentials: claimJson, method, id: who } = c as Record<string, unknown>;
  if (method !== expected) compatFail('UNAUTHORIZED', `this operation needs ${expected} authentication, got ${JSON.stringify(method)?.slice(0, 20)}`);
  if (typeof claimJson !== 'string') compatFail('MALFORMED_FRAME', 'credentials.credentials must be a string');
  const signature = o.signature;
  const bytes = expected === 'eoa' ? 65 : 64;
  if (typeof signature !== 'string' || !HEX(bytes).test(signature)) compatFail('MALFORMED_FRAME', `signature must be ${bytes} bytes of 0x-hex`);
  if (expected === 'eoa' && (typeof who !== 'string' || !isAddress(who, { strict: false }))) compatFail('MALFORMED_FRAME', 'credentials.id must be the EOA address');
  return { method: expected, id: expected === 'eoa' ? (who as Address) : id(who, 'credentials.id'), claimJson, signature: signature as Hex };
}

/** A fresh challenge: 32 random bytes as 64 hex characters (no 0x), as the client expects. */
export function isChallenge(c: unknown): c is string {
  return typeof c === 'string' && /^[0-9a-f]{64}$/.test(c);
}

/** `key_id=<id>:public_key=<compressed SEC1 hex, no 0x>` (the client splits on ':' and '='). */
export function keygenResult(keyId: string, compressedPublicKey: string): string {
  const pk = compressedPublicKey.replace(/^0x/, '').toLowerCase();
  if (!/^0[23][0-9a-f]{64}$/.test(pk)) throw new TypeError('public key must be compressed SEC1');
  if (/[:=]/.test(keyId)) throw new TypeError('key id must not contain ":" or "="');
  return `key_id=${keyId}:public_key=${pk}`;
}

/** `sign=<r||s, 128 hex>:recid=<0|1>` from a 65-byte r||s||v signature (v 27/28). */
export function signgenResult(signature: Hex): string {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new TypeError('signature must be 65 bytes');
  const v = parseInt(signature.slice(130), 16);
  if (v !== 27 && v !== 28) throw new TypeError('signature v must be 27 or 28');
  return `sign=${signature.slice(2, 130).toLowerCase()}:recid=${v - 27}`;
}
