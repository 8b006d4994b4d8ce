// The checks of a legacy request, run by the coordinator before it starts any work and again by
// every node before it takes part: a node receives the client's frames verbatim (setup, challenge,
// authentication) and trusts nothing the coordinator concluded from them.
import { createHash } from 'node:crypto';
import { hashMessage, numberToHex, type Address, type Hex } from 'viem';
import { userOperationHash } from '../auth/index.ts';
import { checkUserOperation, type UserOperationJson } from '../rpc/index.ts';
import { verifyEoa, verifyEphemeral } from './auth.ts';
import { compatFail } from './errors.ts';
import { LIMITS, isChallenge, parseAddEphemeralKeySetup, parseAuthFrame, parseJson, parseKeygenSetup, parseSigngenSetup, type AuthFrame, type EphemeralClaim } from './frames.ts';

/** One legacy request as the client sent it: the setup frame, the server's challenge, the authentication frame. */
export interface LegacyRequest {
  setup: string;
  challenge: string;
  auth: string;
}

export interface CheckedKeygen {
  owner: Address;
  t: number;
  n: number;
  ephemeralKey: EphemeralClaim;
  /** The EIP-712 hash the owner signed (unique per challenge). */
  digest: Hex;
}

export interface CheckedAddEphemeralKey {
  keyId: string;
  n: number;
  /** The EOA that signed (the caller checks it owns the key). */
  signer: Address;
  ephemeralKey: EphemeralClaim;
  digest: Hex;
}

export interface CheckedSigngen {
  keyId: string;
  t: number;
  ephId: string;
  userOperation: UserOperationJson;
  entryPoint: Address;
  chainId: number;
  userOpHash: Hex;
  /** EIP-191 digest of the userOp hash: what the network signs. */
  digest: Hex;
  /** sha256 of the signed bytes: identifies this request (a replay of it gets the same answer). */
  requestHash: Hex;
}

const now = () => Math.floor(Date.now() / 1000);

function shape(r: LegacyRequest): LegacyRequest {
  if (typeof r !== 'object' || r === null || typeof r.setup !== 'string' || typeof r.auth !== 'string') compatFail('MALFORMED_FRAME', 'a legacy request needs setup and auth frames');
  if (!isChallenge(r.challenge)) compatFail('MALFORMED_FRAME', 'challenge must be 64 lowercase hex characters');
  if (r.setup.length > LIMITS.maxFrameBytes || r.auth.length > LIMITS.maxFrameBytes) compatFail('MALFORMED_FRAME', 'frame too large');
  return r;
}

/** The EOA authentication frame of a setup that registers an ephemeral key: same claim, still live. */
function eoaClaimAuth(text: string, setup: { claimJson: string; claim: EphemeralClaim }, at: number): AuthFrame {
  const auth = parseAuthFrame(text, 'eoa');
  if (auth.claimJson !== setup.claimJson) compatFail('UNAUTHORIZED', 'the authenticated claim differs from the claim in the setup');
  if (setup.claim.expiry <= at) compatFail('EXPIRED', `the ephemeral key expired at ${setup.claim.expiry}`);
  if (setup.claim.expiry - at > LIMITS.maxEphemeralLifetimeSec + 300) compatFail('MALFORMED_FRAME', 'the ephemeral key lifetime exceeds 365 days');
  return auth;
}

/** keygen: the EOA signed this setup and challenge, and the ephemeral key claim it registers is live. */
export async function checkKeygen(request: LegacyRequest, at = now()): Promise<CheckedKeygen> {
  const r = shape(request);
  const setup = parseKeygenSetup(r.setup);
  const auth = eoaClaimAuth(r.auth, setup, at);
  const digest = await verifyEoa('keygen', setup, r.challenge, auth.id as Address, auth.signature);
  return { owner: auth.id as Address, t: setup.t, n: setup.n, ephemeralKey: setup.claim, digest };
}

/** addEphemeralKey: an EOA signed the new claim for key_id (the caller checks it is the owner). */
export async function checkAddEphemeralKey(request: LegacyRequest, at = now()): Promise<CheckedAddEphemeralKey> {
  const r = shape(request);
  const setup = parseAddEphemeralKeySetup(r.setup);
  const auth = eoaClaimAuth(r.auth, setup, at);
  const digest = await verifyEoa('addEphemeralKey', setup, r.challenge, auth.id as Address, auth.signature);
  return { keyId: setup.keyId, n: setup.n, signer: auth.id as Address, ephemeralKey: setup.claim, digest };
}

/** The key a signgen names, as the checker needs it. */
export interface SigngenKey {
  keyId: string;
  threshold: number;
  ephemeralKeys: readonly EphemeralClaim[];
}

/** The key id a signgen setup names (to look the key up before `checkSigngen`). */
export function signgenKeyId(setupText: string): string {
  return parseSigngenSetup(setupText).keyId;
}

/**
 * signgen: a registered, unexpired ephemeral key of the key signed this setup and challenge (the
 * claim's expiry sent at sign time is not used: the registered one is), and the message is a v0.7
 * userOp whose hash this function computes itself.
 */
export function checkSigngen(request: LegacyRequest, key: SigngenKey, at = now()): CheckedSigngen {
  const r = shape(request);
  const setup = parseSigngenSetup(r.setup);
  if (setup.keyId !== key.keyId) compatFail('MALFORMED_FRAME', 'key_id differs from the key being used');
  const auth = parseAuthFrame(r.auth, 'ephemeral');
  const registered = key.ephemeralKeys.find((k) => k.ephId === auth.id);
  if (!registered) compatFail('UNAUTHORIZED', `ephemeral key ${auth.id.slice(0, 40)} is not registered with this key`);
  if (registered.expiry <= at) compatFail('EXPIRED', `ephemeral key ${auth.id.slice(0, 40)} expired at ${registered.expiry}`);
  verifyEphemeral(r.setup, r.challenge, registered.ephPK, auth.signature);
  if (setup.t !== key.threshold) compatFail('UNSUPPORTED', `t = ${setup.t}, but the key's threshold is ${key.threshold}`);
  const { userOperation, entryPoint, chainId } = decodeSignMessage(setup.message);
  const userOpHash = userOperationHash(userOperation, entryPoint, chainId);
  const signed = createHash('sha256').update(r.setup).update('\n').update(r.challenge).digest('hex');
  return { keyId: setup.keyId, t: setup.t, ephId: auth.id, userOperation, entryPoint, chainId, userOpHash, digest: hashMessage({ raw: userOpHash }), requestHash: `0x${signed}` };
}

const QUANTITIES = ['nonce', 'callGasLimit', 'verificationGasLimit', 'preVerificationGas', 'maxFeePerGas', 'maxPriorityFeePerGas', 'paymasterVerificationGasLimit', 'paymasterPostOpGasLimit'];

/**
 * The client's hexlify leaves null fields as null and may write quantities with leading zeros or
 * as "0x" for zero: drop the nulls and write quantities canonically (same numbers, same hash).
 */
function normalise(userOp: unknown): unknown {
  if (typeof userOp !== 'object' || userOp === null || Array.isArray(userOp)) return userOp;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(userOp)) {
    if (v === null) continue;
    out[k] = QUANTITIES.includes(k) && typeof v === 'string' && /^0x[0-9a-fA-F]{0,64}$/.test(v) ? numberToHex(BigInt(v === '0x' ? 0 : v)) : v;
  }
  return out;
}

/**
 * The signgen message: base64(UTF-8 of {"message": <inner JSON string>, "requestType":
 * "accountAbstractionTx"}), inner = {userOperation, entryPointVersion "v0.7.0", entryPointAddress,
 * chainId}. The client omits factory and paymaster fields: they count as empty in the hash.
 */
export function decodeSignMessage(base64: string): { userOperation: UserOperationJson; entryPoint: Address; chainId: number } {
  const outer = parseJson(Buffer.from(base64, 'base64').toString('utf8'), 'message');
  if (outer.requestType !== 'accountAbstractionTx') compatFail('UNSUPPORTED', `requestType ${JSON.stringify(outer.requestType)?.slice(0, 40)} is not supported (only accountAbstractionTx)`);
  if (typeof outer.message !== 'string') compatFail('MALFORMED_FRAME', 'message.message must be a JSON string');
  const inner = parseJson(outer.message, 'message.message');
  if (inner.entryPointVersion !== 'v0.7.0') compatFail('UNSUPPORTED', 'only entryPointVersion v0.7.0 is supported');
  const entryPoint = inner.entryPointAddress;
  if (typeof entryPoint !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(entryPoint)) compatFail('MALFORMED_FRAME', 'entryPointAddress must be an address');
  const chainId = inner.chainId;
  if (typeof chainId !== 'number' || !Number.isSafeInteger(chainId) || chainId < 1) compatFail('MALFORMED_FRAME', 'chainId must be a positive integer');
  let userOperation: UserOperationJson;
  try {
    userOperation = checkUserOperation(normalise(inner.userOperation), 'userOperation');
  } catch (e) {
    compatFail('MALFORMED_FRAME', (e as Error).message.replace('params.', ''));
  }
  return { userOperation, entryPoint: entryPoint as Address, chainId };
}
