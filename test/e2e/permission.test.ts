// The mission's main path on a real chain: anvil with EntryPoint v0.7, Nexus 1.0.0 and Smart
// Sessions, the alto bundler and node processes. An owner grants a Smart Session to a distributed
// key; useDistributedPermission builds, threshold-signs and submits userOps that land on chain.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi, parseEther, type Address, type Hex, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { danActions, danSession, grantSessions, nexusAccount, type DanActions } from '../../src/index.ts';
import { freePort, startCluster, type Cluster } from '../helpers/cluster.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

const counterAbi = parseAbi(['function increment()', 'function add(uint256 amount)', 'function count(address) view returns (uint256)']);
const increment = encodeFunctionData({ abi: counterAbi, functionName: 'increment' });
const add = (n: bigint) => encodeFunctionData({ abi: counterAbi, functionName: 'add', args: [n] });
const rpcCode = (code: number, pattern?: RegExp) => (e: Error & { code?: number }) => e.code === code && (!pattern || pattern.test(e.message));

describe('useDistributedPermission on a devnet chain', { timeout: 600_000 }, () => {
  let cluster: Cluster;
  let client: PublicClient;
  let counter: Address;
  let dan: DanActions;
  let setup: (opts: { policy: boolean; isolated?: boolean }) => Promise<{ keyId: string; account: Address; permissionId: Hex }>;

  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2, chain: true, masterKey: true });
    const chain = cluster.chain!;
    counter = chain.contracts.counter;
    const chainDef = { id: chain.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } };
    client = createPublicClient({ chain: chainDef, transport: http(chain.rpcUrl) }) as PublicClient;
    const owner = privateKeyToAccount(generatePrivateKey());
    dan = createWalletClient({ account: owner, chain: chainDef, transport: http(chain.rpcUrl) }).extend(danActions({ url: cluster.rpcUrl }));
    const funder = createWalletClient({ account: privateKeyToAccount(chain.funded[0].privateKey), chain: chainDef, transport: http(chain.rpcUrl) });
    let salt = 0n;
    // A distributed key, an account for the owner, and the session (increment only) granted to the key.
    // Keys are derived from the devnet's master key unless isolated.
    setup = async ({ policy, isolated = false }) => {
      const key = await dan.keyGen({ threshold: 2, isolated, ...(policy ? { policy: { chainId: chain.chainId, allow: [{ target: counter, selector: increment }] } } : {}) });
      assert.equal(key.derivedFrom, isolated ? undefined : cluster.master!.keyId);
      const account = await nexusAccount(client, { contracts: chain.contracts, owner: owner.address, salt: `0x${(++salt).toString(16).padStart(64, '0')}` });
      await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }) });
      const { session, permissionId } = danSession({ contracts: chain.contracts, keyAddress: key.address, actions: [{ target: counter, selector: increment }] });
      await grantSessions(client, { contracts: chain.contracts, chainId: chain.chainId, bundlerUrl: chain.bundlerUrl, owner, account, sessions: [session] });
      return { keyId: key.keyId, account: account.address, permissionId };
    };
  });
  after(() => cluster?.cleanup());

  const count = (account: Address) => client.readContract({ address: counter, abi: counterAbi, functionName: 'count', args: [account] });

  it('lands a call and a batch of two calls; the target state changes', async () => {
    const s = await setup({ policy: true });
    const one = await dan.useDistributedPermissionWithReceipt({ ...s, calls: [{ to: counter, data: increment }] });
    assert.equal(one.receipt?.success, true);
    assert.equal(await count(s.account), 1n);
    const batch = await dan.useDistributedPermissionWithReceipt({ ...s, calls: [{ to: counter, data: increment }, { to: counter, data: increment }] });
    assert.equal(batch.receipt?.success, true);
    assert.equal(await count(s.account), 3n);
  });

  it('an isolated key (a DKG of its own) lands a call next to the derived ones', async () => {
    const s = await setup({ policy: true, isolated: true });
    const r = await dan.useDistributedPermissionWithReceipt({ ...s, calls: [{ to: counter, data: increment }] });
    assert.equal(r.receipt?.success, true);
    assert.equal(await count(s.account), 1n);
  });

  it('refuses a call outside the permission: by the key policy (coordinator and nodes) and on chain (session actions)', async () => {
    const withPolicy = await setup({ policy: true });
    await assert.rejects(dan.useDistributedPermission({ ...withPolicy, calls: [{ to: counter, data: add(5n) }] }), rpcCode(-32006, /not allowed by the key's policy/));
    const noPolicy = await setup({ policy: false });
    await assert.rejects(dan.useDistributedPermission({ ...noPolicy, calls: [{ to: counter, data: add(5n) }] }), rpcCode(-32007, /bundler/));
    assert.equal(await count(noPolicy.account), 0n);
  });

  it('a userOp signed by a key that is not the session key is rejected by the bundler (AA24)', async () => {
    const s = await setup({ policy: false });
    const other = await dan.keyGen({ threshold: 2 });
    await assert.rejects(dan.useDistributedPermission({ ...s, keyId: other.keyId, calls: [{ to: counter, data: increment }] }), rpcCode(-32007, /AA24/));
  });

  it('20 sequential and 10 concurrent calls on one account all land', async () => {
    const s = await setup({ policy: true });
    for (let i = 0; i < 20; i++) {
      const r = await dan.useDistributedPermissionWithReceipt({ ...s, calls: [{ to: counter, data: increment }] });
      assert.equal(r.receipt?.success, true, `sequential ${i}`);
    }
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => dan.useDistributedPermissionWithReceipt({ ...s, calls: [{ to: counter, data: increment }] })));
    for (const r of concurrent) assert.equal(r.receipt?.success, true);
    assert.equal(new Set(concurrent.map((r) => r.userOpHash)).size, 10);
    assert.equal(await count(s.account), 30n);
  });
});

describe('the example app (examples/session-key-app.mjs, quoted by the README) against a devnet', { timeout: 300_000 }, () => {
  it('is quoted verbatim in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const app = readFileSync(join(ROOT, 'examples', 'session-key-app.mjs'), 'utf8');
    assert.ok(readme.includes('```js\n' + app + '```\n'), 'README.md holds examples/session-key-app.mjs in a js block, unchanged');
  });

  it('npm run demo refuses a missing or stale devnet.json with a message saying what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dan-demo-'));
    const run = (file: string) => spawnSync(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, env: { ...process.env, DEVNET_JSON: file }, encoding: 'utf8' });
    const missing = run(join(dir, 'devnet.json'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /not found: start the devnet first \(npm start\)/);
    const stale = join(dir, 'stale.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(stale, JSON.stringify({ pid: Number(dead), rpcUrl: 'http://127.0.0.1:1', chain: {} }));
    const r = run(stale);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`is stale: the devnet that wrote it \\(pid ${dead}\\) no longer runs`));
    assert.doesNotMatch(r.stderr, /at .*\.(m?js|ts):\d+/, 'no stack trace');
    const closed = await freePort(); // nothing listens there
    writeFileSync(stale, JSON.stringify({ pid: process.pid, rpcUrl: `http://127.0.0.1:${closed}`, chain: {} }));
    const down = run(stale);
    assert.match(down.stderr, new RegExp(`coordinator does not answer at http://127\\.0\\.0\\.1:${closed} \\(ECONNREFUSED\\)`));
  });

  it('runs as written with plain node (npm run demo) and its last line reports success', async () => {
    const cluster = await startCluster({ nodes: 3, threshold: 2, chain: true, masterKey: true });
    try {
      const chain = cluster.chain!;
      const file = join(cluster.home, 'devnet.json');
      writeFileSync(file, JSON.stringify({ rpcUrl: cluster.rpcUrl, threshold: 2, nodes: cluster.nodes, chain: { rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl, chainId: chain.chainId, contracts: chain.contracts, funded: chain.funded } }));
      const out = execFileSync(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, env: { ...process.env, DEVNET_JSON: file, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 120_000 });
      const lines = out.trim().split('\n');
      assert.match(lines[0], /^1\. owner 0x/);
      assert.match(lines[4], /^5\. userOp 0x[0-9a-f]{64} included in 0x[0-9a-f]{64}: success$/);
      const last = JSON.parse(lines.at(-1)!) as { sender: string; userOpHash: string; transactionHash: string; success: boolean };
      assert.equal(last.success, true);
      assert.match(last.userOpHash, /^0x[0-9a-f]{64}$/);
      assert.match(last.transactionHash, /^0x[0-9a-f]{64}$/);
      const client = createPublicClient({ transport: http(chain.rpcUrl) });
      assert.equal(await client.readContract({ address: chain.contracts.counter, abi: counterAbi, functionName: 'count', args: [last.sender as Address] }), 1n);
    } finally {
      await cluster.cleanup();
    }
  });
});
