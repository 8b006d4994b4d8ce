// The local chain stack through real processes: anvil + contracts + alto started by startDevChain
// on free ports. Checks code at every address, the canonical EntryPoint address, that alto listens
// on 127.0.0.1 only, and end to end that the stack works: a Nexus 1.0.0 account with OwnerValidator
// is created and calls Counter.increment() in one owner-signed userOp through the bundler; then the
// owner installs Smart Sessions with a session for DanSessionValidator and the session key (a plain
// EOA) sends a USE-mode userOp (pre-v1 signature 0x00 || permissionId || flz(abi.encode(sig))).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  concat,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  encodePacked,
  http,
  parseAbi,
  parseEther,
  toHex,
  type Address,
  type Hex,
} from 'viem';
import { formatUserOperationRequest, getUserOperationHash, type UserOperation } from 'viem/account-abstraction';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../src/devchain/index.ts';
import { flzCompress } from '../../src/chain/flz.ts';

const nexusAbi = parseAbi([
  'function execute(bytes32 mode, bytes executionCalldata) payable',
  'function installModule(uint256 moduleTypeId, address module, bytes initData) payable',
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)',
]);
const factoryAbi = parseAbi([
  'function createAccount(bytes initData, bytes32 salt) payable returns (address)',
  'function computeAccountAddress(bytes initData, bytes32 salt) view returns (address)',
]);
const bootstrapAbi = parseAbi([
  'struct BootstrapConfig { address module; bytes data; }',
  'function getInitNexusWithSingleValidatorCalldata(BootstrapConfig validator, address registry, address[] attesters, uint8 threshold) view returns (bytes)',
]);
const entryPointAbi = parseAbi(['function getNonce(address sender, uint192 key) view returns (uint256)']);
const counterAbi = parseAbi(['function increment()', 'function count(address) view returns (uint256)', 'function total() view returns (uint256)']);
const policyAbi = parseAbi(['function supportsInterface(bytes4) view returns (bool)']);
const sessionValidatorAbi = parseAbi([
  'function validateSignatureWithData(bytes32 hash, bytes sig, bytes data) view returns (bool)',
  'function isModuleType(uint256) view returns (bool)',
  'function supportsInterface(bytes4) view returns (bool)',
]);
// Pre-v1 Smart Sessions (modulekit 0.5.9 build): Session and its parts.
const sessionComponents = [
  { name: 'sessionValidator', type: 'address' },
  { name: 'sessionValidatorInitData', type: 'bytes' },
  { name: 'salt', type: 'bytes32' },
  { name: 'userOpPolicies', type: 'tuple[]', components: [{ name: 'policy', type: 'address' }, { name: 'initData', type: 'bytes' }] },
  {
    name: 'erc7739Policies',
    type: 'tuple',
    components: [
      { name: 'allowedERC7739Content', type: 'string[]' },
      { name: 'erc1271Policies', type: 'tuple[]', components: [{ name: 'policy', type: 'address' }, { name: 'initData', type: 'bytes' }] },
    ],
  },
  {
    name: 'actions',
    type: 'tuple[]',
    components: [
      { name: 'actionTargetSelector', type: 'bytes4' },
      { name: 'actionTarget', type: 'address' },
      { name: 'actionPolicies', type: 'tuple[]', components: [{ name: 'policy', type: 'address' }, { name: 'initData', type: 'bytes' }] },
    ],
  },
] as const;
const smartSessionsAbi = [
  { type: 'function', name: 'getPermissionId', stateMutability: 'pure', inputs: [{ name: 'session', type: 'tuple', components: sessionComponents }], outputs: [{ type: 'bytes32' }] },
  { type: 'function', name: 'isPermissionEnabled', stateMutability: 'view', inputs: [{ type: 'bytes32' }, { type: 'address' }], outputs: [{ type: 'bool' }] },
] as const;

const MODULE_TYPE_VALIDATOR = 1n;
/** ERC-7579 mode: call type single (0x00), exec type default, rest zero. */
const MODE_SINGLE: Hex = `0x${'00'.repeat(32)}`;
/** A 65-byte signature that recovers to some address without reverting (gas estimation only). */
const STUB_SIG: Hex = '0xfffffffffffffffffffffffffffffff0000000000000000000000000000000007aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1c';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function bundlerRpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: unknown } };
  if (body.error) throw new Error(`${method}: ${body.error.message}${body.error.data ? ` ${JSON.stringify(body.error.data)}` : ''}`);
  return body.result as T;
}

/** The Nexus 1.0.0 nonce key for a validator with mode 0x00: the validator address as a number. */
function nonceKey(validator: Address): bigint {
  return BigInt(validator);
}

describe('devchain: anvil + contracts + alto', { timeout: 120_000 }, () => {
  let chain: DevChain;
  let home: string;
  let startMs = 0;
  const lines: string[] = [];
  const publicClient = () => createPublicClient({ transport: http(chain.rpcUrl) });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'dan-devchain-'));
    const [anvilPort, bundlerPort] = [await freePort(), await freePort()];
    const t0 = Date.now();
    chain = await startDevChain({ home, anvilPort, bundlerPort, progress: (l) => lines.push(l) });
    startMs = Date.now() - t0;
  });
  after(async () => {
    await chain?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('starts in seconds with progress lines and code at every address', async () => {
    assert.ok(startMs < 20_000, `stack took ${startMs} ms`);
    console.log(`# chain stack up in ${startMs} ms`);
    assert.ok(lines.some((l) => l.startsWith('anvil up')));
    assert.ok(lines.some((l) => l.startsWith('EntryPoint v0.7 at 0x0000000071727De22E5E9d8BAf0edAc6f37da032')));
    assert.equal(chain.contracts.entryPoint, '0x0000000071727De22E5E9d8BAf0edAc6f37da032');
    assert.equal(chain.chainId, 31337);
    const client = publicClient();
    assert.equal(await client.getChainId(), 31337);
    for (const [name, address] of Object.entries(chain.contracts)) {
      const code = await client.getCode({ address: address as Address });
      assert.ok(code && code !== '0x', `no code for ${name} at ${address}`);
    }
    assert.equal(await client.getCode({ address: chain.contracts.registry }), '0x00');
    assert.equal(chain.funded.length, 8);
    for (const f of chain.funded) assert.equal(privateKeyToAccount(f.privateKey).address, f.address);
    assert.deepEqual(await bundlerRpc<string[]>(chain.bundlerUrl, 'eth_supportedEntryPoints', []), [chain.contracts.entryPoint]);
  });

  it('the bundler and anvil listen on 127.0.0.1 only', () => {
    const ss = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
    for (const url of [chain.bundlerUrl, chain.rpcUrl]) {
      const port = new URL(url).port;
      const locals = ss
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[3])
        .filter((addr): addr is string => !!addr && addr.endsWith(`:${port}`));
      assert.deepEqual(locals, [`127.0.0.1:${port}`], `listeners on port ${port}: ${locals.join(', ')}`);
    }
  });

  it('our contracts answer the interfaces Smart Sessions checks', async () => {
    const client = publicClient();
    const { allowAllPolicy, sessionValidator } = chain.contracts;
    for (const id of ['0x01ffc9a7', '0x7129edce', '0x05c00895', '0xcbf34505'] as const) {
      assert.equal(await client.readContract({ address: allowAllPolicy, abi: policyAbi, functionName: 'supportsInterface', args: [id] }), true, id);
    }
    assert.equal(await client.readContract({ address: sessionValidator, abi: sessionValidatorAbi, functionName: 'isModuleType', args: [7n] }), true);
    assert.equal(await client.readContract({ address: sessionValidator, abi: sessionValidatorAbi, functionName: 'supportsInterface', args: ['0x940d3840'] }), true);
    // EIP-191 signature by the configured address: true; another signer or a raw-hash signature: false.
    const key = privateKeyToAccount(generatePrivateKey());
    const hash: Hex = `0x${'ab'.repeat(32)}`;
    const good = await key.signMessage({ message: { raw: hash } });
    const raw = await key.sign({ hash });
    const check = (sig: Hex, data: Hex) => client.readContract({ address: sessionValidator, abi: sessionValidatorAbi, functionName: 'validateSignatureWithData', args: [hash, sig, data] });
    assert.equal(await check(good, key.address), true);
    assert.equal(await check(raw, key.address), false);
    assert.equal(await check(good, privateKeyToAccount(generatePrivateKey()).address), false);
    assert.equal(await check(good, encodeAbiParameters([{ type: 'address' }], [key.address])), false); // config must be 20 bytes
  });

  describe('userOps through alto', () => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const sessionKey = privateKeyToAccount(generatePrivateKey());
    let sender: Address;
    let factoryData: Hex;

    async function sendUserOp(o: {
      nonceKey: bigint;
      callData: Hex;
      factory?: Address;
      factoryData?: Hex;
      stubSignature: Hex;
      sign(hash: Hex): Promise<Hex>;
    }) {
      const client = publicClient();
      const nonce = await client.readContract({ address: chain.contracts.entryPoint, abi: entryPointAbi, functionName: 'getNonce', args: [sender, o.nonceKey] });
      const fees = await bundlerRpc<{ fast: { maxFeePerGas: Hex; maxPriorityFeePerGas: Hex } }>(chain.bundlerUrl, 'pimlico_getUserOperationGasPrice', []);
      const op: UserOperation<'0.7'> = {
        sender,
        nonce,
        factory: o.factory,
        factoryData: o.factoryData,
        callData: o.callData,
        callGasLimit: 0n,
        verificationGasLimit: 0n,
        preVerificationGas: 0n,
        maxFeePerGas: BigInt(fees.fast.maxFeePerGas),
        maxPriorityFeePerGas: BigInt(fees.fast.maxPriorityFeePerGas),
        signature: o.stubSignature,
      };
      const gas = await bundlerRpc<{ callGasLimit: Hex; verificationGasLimit: Hex; preVerificationGas: Hex }>(chain.bundlerUrl, 'eth_estimateUserOperationGas', [
        formatUserOperationRequest(op),
        chain.contracts.entryPoint,
      ]);
      op.callGasLimit = BigInt(gas.callGasLimit);
      op.verificationGasLimit = BigInt(gas.verificationGasLimit);
      op.preVerificationGas = BigInt(gas.preVerificationGas);
      const userOpHash = getUserOperationHash({ userOperation: op, entryPointAddress: chain.contracts.entryPoint, entryPointVersion: '0.7', chainId: chain.chainId });
      op.signature = await o.sign(userOpHash);
      const t0 = Date.now();
      const sent = await bundlerRpc<Hex>(chain.bundlerUrl, 'eth_sendUserOperation', [formatUserOperationRequest(op), chain.contracts.entryPoint]);
      assert.equal(sent, userOpHash);
      for (;;) {
        const receipt = await bundlerRpc<{ success: boolean; actualGasUsed: Hex; receipt: { transactionHash: Hex } } | null>(chain.bundlerUrl, 'eth_getUserOperationReceipt', [userOpHash]);
        if (receipt) return { receipt, ms: Date.now() - t0, gas };
        if (Date.now() - t0 > 30_000) throw new Error(`no receipt for ${userOpHash} within 30 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    const ownerSign = (account: PrivateKeyAccount) => (hash: Hex) => account.signMessage({ message: { raw: hash } });
    const incrementCall = () =>
      encodeFunctionData({
        abi: nexusAbi,
        functionName: 'execute',
        args: [MODE_SINGLE, encodePacked(['address', 'uint256', 'bytes'], [chain.contracts.counter, 0n, encodeFunctionData({ abi: counterAbi, functionName: 'increment' })])],
      });

    it('creates a Nexus account (OwnerValidator) and calls Counter.increment() in one owner-signed userOp', async () => {
      const client = publicClient();
      const { nexusBootstrap, nexusFactory, ownerValidator, registry, counter } = chain.contracts;
      const initData = await client.readContract({
        address: nexusBootstrap,
        abi: bootstrapAbi,
        functionName: 'getInitNexusWithSingleValidatorCalldata',
        args: [{ module: ownerValidator, data: owner.address }, registry, [], 0],
      });
      const salt = toHex(1n, { size: 32 });
      sender = await client.readContract({ address: nexusFactory, abi: factoryAbi, functionName: 'computeAccountAddress', args: [initData, salt] });
      factoryData = encodeFunctionData({ abi: factoryAbi, functionName: 'createAccount', args: [initData, salt] });
      assert.equal(await client.getCode({ address: sender }), undefined);

      // prefund from a funded dev account
      const funder = privateKeyToAccount(chain.funded[0].privateKey);
      const wallet = createWalletClient({ account: funder, chain: { id: chain.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } }, transport: http(chain.rpcUrl) });
      await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: sender, value: parseEther('1') }), pollingInterval: 20 });

      const { receipt, ms, gas } = await sendUserOp({ nonceKey: nonceKey(ownerValidator), callData: incrementCall(), factory: nexusFactory, factoryData, stubSignature: STUB_SIG, sign: ownerSign(owner) });
      console.log(`# first userOp (deploy + increment): receipt after ${ms} ms, gas used ${BigInt(receipt.actualGasUsed)}, estimate ${JSON.stringify(gas)}`);
      assert.equal(receipt.success, true);
      assert.ok((await client.getCode({ address: sender }))?.length);
      assert.equal(await client.readContract({ address: counter, abi: counterAbi, functionName: 'count', args: [sender] }), 1n);
      assert.equal(await client.readContract({ address: sender, abi: nexusAbi, functionName: 'isModuleInstalled', args: [MODULE_TYPE_VALIDATOR, ownerValidator, '0x'] }), true);
    });

    it('owner installs Smart Sessions with a DanSessionValidator session; the session key sends a USE-mode userOp', async () => {
      assert.ok(sender, 'needs the account from the previous test');
      const client = publicClient();
      const { smartSessions, sessionValidator, allowAllPolicy, counter, ownerValidator } = chain.contracts;
      const allowAll = { policy: allowAllPolicy, initData: '0x' as Hex };
      const session = {
        sessionValidator,
        sessionValidatorInitData: sessionKey.address as Hex,
        salt: toHex(7n, { size: 32 }),
        userOpPolicies: [allowAll],
        erc7739Policies: { allowedERC7739Content: [], erc1271Policies: [] },
        actions: [{ actionTargetSelector: encodeFunctionData({ abi: counterAbi, functionName: 'increment' }), actionTarget: counter, actionPolicies: [allowAll] }],
      };
      const permissionId = await client.readContract({ address: smartSessions, abi: smartSessionsAbi, functionName: 'getPermissionId', args: [session] });
      const installData = encodeAbiParameters([{ type: 'tuple[]', components: sessionComponents }], [[session]]);

      // 1. owner-signed userOp: installModule(validator, Smart Sessions, abi.encode(Session[]))
      const install = await sendUserOp({
        nonceKey: nonceKey(ownerValidator),
        callData: encodeFunctionData({ abi: nexusAbi, functionName: 'installModule', args: [MODULE_TYPE_VALIDATOR, smartSessions, installData] }),
        stubSignature: STUB_SIG,
        sign: ownerSign(owner),
      });
      console.log(`# install Smart Sessions + enable session: ${install.ms} ms, gas used ${BigInt(install.receipt.actualGasUsed)}`);
      assert.equal(install.receipt.success, true);
      assert.equal(await client.readContract({ address: sender, abi: nexusAbi, functionName: 'isModuleInstalled', args: [MODULE_TYPE_VALIDATOR, smartSessions, '0x'] }), true);
      assert.equal(await client.readContract({ address: smartSessions, abi: smartSessionsAbi, functionName: 'isPermissionEnabled', args: [permissionId, sender] }), true);

      // 2. session key, USE mode: signature = 0x00 || permissionId || flzCompress(abi.encode(bytes sig65))
      const useSig = (sig65: Hex) => concat(['0x00', permissionId, flzCompress(encodeAbiParameters([{ type: 'bytes' }], [sig65]))]);
      const before = await client.readContract({ address: counter, abi: counterAbi, functionName: 'count', args: [sender] });
      const use = await sendUserOp({
        nonceKey: nonceKey(smartSessions),
        callData: incrementCall(),
        stubSignature: useSig(STUB_SIG),
        sign: async (hash) => useSig(await sessionKey.signMessage({ message: { raw: hash } })),
      });
      console.log(`# session-key userOp: ${use.ms} ms, gas used ${BigInt(use.receipt.actualGasUsed)}`);
      assert.equal(use.receipt.success, true);
      assert.equal(await client.readContract({ address: counter, abi: counterAbi, functionName: 'count', args: [sender] }), before + 1n);

      // 3. a key that is not the session's: the bundler refuses the userOp and says why
      const stranger = privateKeyToAccount(generatePrivateKey());
      await assert.rejects(
        sendUserOp({
          nonceKey: nonceKey(smartSessions),
          callData: incrementCall(),
          stubSignature: useSig(STUB_SIG),
          sign: async (hash) => useSig(await stranger.signMessage({ message: { raw: hash } })),
        }),
        (e: Error) => {
          console.log(`# wrong session key: ${e.message}`);
          return /eth_sendUserOperation/.test(e.message) && /AA24|signature/i.test(e.message);
        },
      );
      assert.equal(await client.readContract({ address: counter, abi: counterAbi, functionName: 'count', args: [sender] }), before + 1n);
    });
  });
});
