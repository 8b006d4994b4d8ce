// The legacy wallet-provider operations (src/compat) on top of the coordinator. Each checks the
// client's frames itself first (the checks every node runs again), then uses the coordinator's key
// generation and threshold signing with the client's frames as the nodes' request:
// - keygen: the EOA's EIP-712 authentication; a DKG with the client's t and n; the ephemeral key
//   is registered with the key on every node. Result `key_id=..:public_key=<compressed>`.
// - signgen: the registered ephemeral key's ed25519 authentication; every signer recomputes the
//   v0.7 userOp hash from the message and signs its EIP-191 digest. Result `sign=<r||s>:recid=<0|1>`.
// - addEphemeralKey: the key owner's EIP-712 authentication; every party registers the key.
// Errors (the coordinator's RpcErrors, the nodes' typed errors) close the socket with the code the
// registry in src/errors gives them.
import { LIMITS as RPC_LIMITS } from '../rpc/index.ts';
import {
  CompatError,
  checkKeygen,
  checkSigngen,
  keygenResult,
  parseAddEphemeralKeySetup,
  parseKeygenSetup,
  parseSigngenSetup,
  signgenKeyId,
  signgenResult,
  type LegacyRequest,
} from '../compat/index.ts';
import type { LegacyBackend, LegacyOperation } from '../compat/server.ts';
import { NodeMethod, type KeyRecord } from '../node/api.ts';
import { addEphemeralKeyId, authorizeAddEphemeralKey, checkKeyLive } from '../requests/index.ts';
import type { Coordinator } from './coordinator.ts';

export class LegacyWalletProvider implements LegacyBackend {
  constructor(
    private readonly coordinator: Coordinator,
    /** Number of nodes in the network (the largest n a keygen can ask for). */
    private readonly networkSize: number,
  ) {}

  async precheck(operation: LegacyOperation, setup: string): Promise<void> {
    if (operation === 'keygen') {
      const { t, n } = parseKeygenSetup(setup);
      if (t < RPC_LIMITS.minThreshold || t > n) throw new CompatError('UNSUPPORTED', `t = ${t} must be at least ${RPC_LIMITS.minThreshold} and at most n = ${n}`);
      if (n > this.networkSize) throw new CompatError('UNSUPPORTED', `n = ${n}, but this network has ${this.networkSize} nodes`);
    } else if (operation === 'signgen') {
      const { t, keyId } = parseSigngenSetup(setup);
      const key = await this.key(keyId);
      if (t !== key.threshold) throw new CompatError('UNSUPPORTED', `t = ${t}, but the key's threshold is ${key.threshold}`);
    } else {
      const { n, keyId } = parseAddEphemeralKeySetup(setup);
      const key = await this.key(keyId);
      if (n !== key.parties.length) throw new CompatError('UNSUPPORTED', `n = ${n}, but the key has ${key.parties.length} parties`);
    }
  }

  run(operation: LegacyOperation, request: LegacyRequest): Promise<string> {
    if (operation === 'keygen') return this.keygen(request);
    if (operation === 'signgen') return this.signgen(request);
    return this.addEphemeralKey(request);
  }

  private async keygen(request: LegacyRequest): Promise<string> {
    const checked = await checkKeygen(request);
    const info = await this.coordinator.generateKey({
      once: `legacyKeyGen:${checked.digest}`,
      hash: checked.digest,
      authorize: () => {}, // the frames' own challenge: a replay gets the key this very request made
      parties: checked.n,
      threshold: checked.t,
      derive: true,
      call: (sessionId, nodes, master) => ({ sessionId, nodes, legacy: request, ...(master ? { master } : {}) }),
    });
    return keygenResult(info.keyId, info.publicKey);
  }

  private async signgen(request: LegacyRequest): Promise<string> {
    const key = await this.key(signgenKeyId(request.setup));
    checkSigngen(request, { keyId: key.keyId, threshold: key.threshold, ephemeralKeys: key.ephemeralKeys ?? [] }); // its own codes, before any work
    const { signature } = await this.coordinator.sign({ kind: 'legacy', legacy: request });
    return signgenResult(signature);
  }

  private async addEphemeralKey(request: LegacyRequest): Promise<string> {
    const key = await this.key(addEphemeralKeyId(request));
    await authorizeAddEphemeralKey(request, key); // the check every party runs again
    await this.coordinator.callParties(key, NodeMethod.addEphemeralKey, { legacy: request });
    return 'success';
  }

  private async key(keyId: string): Promise<KeyRecord> {
    const key = await this.coordinator.requireKey(keyId);
    checkKeyLive(key, {});
    return key;
  }
}
