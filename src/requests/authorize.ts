// The signing-request core: one checker per request dialect turns a SignRequest into the one
// AuthorizedSign it allows, run by the coordinator and, independently, by every signer with this
// same code. A node never signs a digest it did not derive itself from what the user signed:
// - digest (dan_sign): the digest the user signed; refused on a key with a policy unless the policy
//   allows raw signing (owner only), since a raw digest can be any userOp's;
// - userOperation (dan_signUserOperation): the EIP-191 digest of the v0.7 hash of the user's userOp;
// - permission (dan_useDistributedPermission): the userOp the coordinator built must be exactly
//   what the user signed: sender, calls, nonce lane (Smart Sessions validator), no factory, no
//   paymaster, fees within the signed caps, prefund within the signed maxCost (permission.ts);
// - legacy (wallet-provider signgen): the client's frames, checked by src/compat.
// Two steps, so the coordinator can send a request on its way before its own signature check:
// `prepare` (parameters and digest, no signature check) and `authenticate` (the user's signature
// now valid for an allowed signer, the key not expired, the key's policy). Nodes run both before
// they read any journal or consume anything (authorizeSign).
import { hashMessage, type Address, type Hex } from 'viem';
import { AuthError, assertSignerAllowed, userOperationHash } from '../auth/index.ts';
import { checkSigngen, signgenKeyId } from '../compat/requests.ts';
import { checkUserOperation, validateParams, type Auth, type DanMethod, type DanParams, type UserOperationJson } from '../rpc/schema.ts';
import { RequestError } from './errors.ts';
import { checkPermissionUserOp } from './permission.ts';
import { checkPolicy, checkRawSigning, parsePolicy, tryDecodeCalls } from './policy.ts';
import type { AuthorizedSign, KeyTerms, RequestContext, SignRequest } from './types.ts';

/** A request whose parameters and digest are checked; `authenticate` checks who asked. */
export interface PreparedSign extends Omit<AuthorizedSign, 'signer'> {
  authenticate(): AuthorizedSign;
}

/** The key a request names (look it up, then prepareSign / authorizeSign). */
export function requestKeyId(req: SignRequest): string {
  const keyId = req?.kind === 'legacy' ? legacyKeyId(req.legacy) : (req?.request as { keyId?: unknown } | undefined)?.keyId;
  if (typeof keyId !== 'string') throw new RequestError('BAD_CALL', 'the request names no key');
  return keyId;
}

/** prepareSign, then authenticate: what a node runs before anything else. */
export function authorizeSign(req: SignRequest, key: KeyTerms, ctx: RequestContext): AuthorizedSign {
  return prepareSign(req, key, ctx).authenticate();
}

export function prepareSign(req: SignRequest, key: KeyTerms, ctx: RequestContext): PreparedSign {
  switch (req?.kind) {
    case 'digest': {
      const p = params('dan_sign', req.request, key);
      const policy = parsePolicy(key.policy);
      checkRawSigning(policy, key.owner, key.owner); // no raw signing at all on this key: refused before any work
      return prepared('dan_sign', p, key, ctx, p.digest, (signer) => checkRawSigning(policy, signer, key.owner));
    }
    case 'userOperation': {
      const p = params('dan_signUserOperation', req.request, key);
      const digest = hashMessage({ raw: userOperationHash(p.userOperation, p.entryPoint, p.chainId) });
      const check = () => checkPolicy(parsePolicy(key.policy), { chainId: p.chainId, sender: p.userOperation.sender, calls: tryDecodeCalls(p.userOperation.callData) });
      return { ...prepared('dan_signUserOperation', p, key, ctx, digest, check), userOperation: p.userOperation };
    }
    case 'permission': {
      const chain = ctx.chain;
      if (!chain) throw new RequestError('BAD_CALL', 'this node has no chain configured');
      const p = params('dan_useDistributedPermission', req.request, key);
      const userOperation = userOp(req.userOperation);
      const calls = checkPermissionUserOp(p, userOperation, chain);
      const digest = hashMessage({ raw: userOperationHash(userOperation, chain.entryPoint, chain.chainId) });
      const check = () => checkPolicy(parsePolicy(key.policy), { chainId: chain.chainId, sender: userOperation.sender, calls });
      return { ...prepared('dan_useDistributedPermission', p, key, ctx, digest, check), userOperation };
    }
    case 'legacy': {
      // The ephemeral key's signature is checked here already (the frames carry no separate auth);
      // the legacy checks keep their own error codes (the endpoint's close codes depend on them).
      const checked = checkSigngen(req.legacy, { keyId: key.keyId, threshold: key.threshold, ephemeralKeys: key.ephemeralKeys ?? [] }, ctx.now);
      const done: AuthorizedSign = {
        kind: 'legacy',
        keyId: key.keyId,
        requestId: `legacy-sign:${checked.requestHash.slice(2)}`,
        requestHash: checked.requestHash,
        digest: checked.digest,
        signer: checked.ephId,
        userOperation: checked.userOperation,
      };
      return {
        ...done,
        authenticate: () => {
          checkKeyLive(key, ctx);
          checkPolicy(parsePolicy(key.policy), { chainId: checked.chainId, sender: checked.userOperation.sender, calls: tryDecodeCalls(checked.userOperation.callData) });
          return done;
        },
      };
    }
    default:
      throw new RequestError('BAD_CALL', 'request.kind must be digest, userOperation, permission or legacy');
  }
}

/**
 * Check that the user's signature on `params` is valid now and made by one of `allowed`; returns
 * the signer and the request's content hash.
 */
export function authenticate<M extends DanMethod>(method: M, params: DanParams<M>, ctx: RequestContext, allowed: readonly string[]): { signer: Address; content: Hex } {
  try {
    const { signer, content } = ctx.verified.verify(method, params as never);
    assertSignerAllowed(signer, allowed as Address[]);
    return { signer, content };
  } catch (e) {
    if (e instanceof AuthError) throw new RequestError('UNAUTHORIZED', e.message, { reason: e.reason, field: e.field });
    throw new RequestError('UNAUTHORIZED', (e as Error).message);
  }
}

/** The owner and authorized signers of a key: who may use it. */
export function allowedSigners(key: KeyTerms): string[] {
  return [key.owner, ...(key.authorizedSigners ?? [])];
}

/** Throws KEY_EXPIRED when the key's expiry has passed. */
export function checkKeyLive(key: KeyTerms, ctx: Pick<RequestContext, 'now'>): void {
  const now = ctx.now ?? Math.floor(Date.now() / 1000);
  const expiresAt = Number(key.expiresAt ?? 0);
  if (expiresAt && now >= expiresAt) throw new RequestError('KEY_EXPIRED', `key ${key.keyId} expired at ${expiresAt}`, { keyId: key.keyId });
}

type SignMethod = 'dan_sign' | 'dan_signUserOperation' | 'dan_useDistributedPermission';

function prepared<M extends SignMethod>(method: M, p: DanParams<M>, key: KeyTerms, ctx: RequestContext, digest: Hex, check: (signer: string) => void): PreparedSign {
  const base = {
    kind: KIND[method],
    keyId: key.keyId,
    requestId: p.requestId,
    requestHash: ctx.verified.content(method, p),
    digest,
  } as const;
  return {
    ...base,
    authenticate: () => {
      const { signer } = authenticate(method, p, ctx, allowedSigners(key));
      checkKeyLive(key, ctx);
      check(signer);
      return { ...base, signer };
    },
  };
}

const KIND = { dan_sign: 'digest', dan_signUserOperation: 'userOperation', dan_useDistributedPermission: 'permission' } as const;

function params<M extends SignMethod>(method: M, raw: unknown, key: KeyTerms): DanParams<M> & { auth: Auth } {
  const p = wrap(() => validateParams(method, raw));
  if (p.keyId !== key.keyId) throw new RequestError('BAD_CALL', `the request names key ${p.keyId}, not ${key.keyId}`);
  return p as DanParams<M> & { auth: Auth };
}

function userOp(raw: unknown): UserOperationJson {
  return wrap(() => checkUserOperation(raw, 'userOperation'), (m) => m.replace('params.userOperation', 'userOperation'));
}

function legacyKeyId(legacy: unknown): string | undefined {
  const setup = (legacy as { setup?: unknown } | null)?.setup;
  if (typeof setup !== 'string') return undefined;
  return signgenKeyId(setup);
}

/** Run a parameter check; its errors (RpcError INVALID_PARAMS, UNAUTHORIZED) become BAD_CALL / UNAUTHORIZED. */
function wrap<T>(f: () => T, message: (m: string) => string = (m) => m): T {
  try {
    return f();
  } catch (e) {
    const reason = (e as { data?: { reason?: unknown } }).data?.reason;
    if (reason === 'missing_auth') throw new RequestError('UNAUTHORIZED', (e as Error).message, { reason });
    throw new RequestError('BAD_CALL', message((e as Error).message));
  }
}
