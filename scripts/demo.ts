// npm run demo: the mission's main path against a running devnet (npm start). An owner key, a
// distributed session key (keyGen), a Nexus account, the owner grants a Smart Session for the key
// (permission: Counter.increment only), then useDistributedPermission through the network and the
// bundler. Prints each step; the last line is JSON { sender, userOpHash, transactionHash, success }.
import '../src/polyfill.ts';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi, parseEther, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { danActions, danSession, grantSessions, nexusAccount, type SmartAccountContracts } from '../src/index.ts';

const file = resolve(process.env.DEVNET_JSON ?? '.devnet/devnet.json');
if (!existsSync(file)) {
  console.error(`${file} not found: start the devnet first (npm start) or set DEVNET_JSON`);
  process.exit(1);
}
const devnet = JSON.parse(readFileSync(file, 'utf8')) as {
  rpcUrl: string;
  threshold: number;
  chain?: { rpcUrl: string; bundlerUrl: string; chainId: number; contracts: SmartAccountContracts & { counter: Address }; funded: { privateKey: Hex }[] };
};
if (!devnet.chain) {
  console.error('this devnet runs without a chain (--no-chain); start it with npm start');
  process.exit(1);
}
const { chain } = devnet;
const chainDef = { id: chain.chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [chain.rpcUrl] } } };
const publicClient = createPublicClient({ chain: chainDef, transport: http(chain.rpcUrl) });
const counterAbi = parseAbi(['function increment()', 'function count(address) view returns (uint256)']);
const increment = encodeFunctionData({ abi: counterAbi, functionName: 'increment' });

const owner = privateKeyToAccount(generatePrivateKey());
console.log(`1. owner key ${owner.address}`);

const wallet = createWalletClient({ account: owner, chain: chainDef, transport: http(chain.rpcUrl) });
const dan = wallet.extend(danActions({ url: devnet.rpcUrl }));
const keyGenStarted = performance.now();
const key = await dan.keyGen({ threshold: devnet.threshold, policy: { chainId: chain.chainId, allow: [{ target: chain.contracts.counter, selector: increment }] } });
const how = key.derivedFrom ? `derived from master key ${key.derivedFrom}` : 'its own DKG';
console.log(`2. keyGen: distributed key ${key.address} (${key.threshold}-of-${key.parties}, id ${key.keyId}; ${how}, ${Math.round(performance.now() - keyGenStarted)} ms)`);

const account = await nexusAccount(publicClient, { contracts: chain.contracts, owner: owner.address });
const funder = createWalletClient({ account: privateKeyToAccount(chain.funded[chain.funded.length - 1].privateKey), chain: chainDef, transport: http(chain.rpcUrl) });
await publicClient.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: account.address, value: parseEther('1') }) });
console.log(`3. Nexus account ${account.address} (owner validator), funded with 1 ETH`);

const { session, permissionId } = danSession({ contracts: chain.contracts, keyAddress: key.address, actions: [{ target: chain.contracts.counter, selector: increment }] });
const grant = await grantSessions(publicClient, { contracts: chain.contracts, chainId: chain.chainId, bundlerUrl: chain.bundlerUrl, owner, account, sessions: [session] });
console.log(`4. owner granted the session ${permissionId} (tx ${grant.transactionHash})`);

const before = await publicClient.readContract({ address: chain.contracts.counter, abi: counterAbi, functionName: 'count', args: [account.address] });
const result = await dan.useDistributedPermissionWithReceipt({ keyId: key.keyId, permissionId, account: account.address, calls: [{ to: chain.contracts.counter, data: increment }] });
const after = await publicClient.readContract({ address: chain.contracts.counter, abi: counterAbi, functionName: 'count', args: [account.address] });
console.log(`5. useDistributedPermission: userOp ${result.userOpHash} included in ${result.receipt?.transactionHash}; counter ${before} -> ${after}`);
console.log(JSON.stringify({ sender: account.address, userOpHash: result.userOpHash, transactionHash: result.receipt?.transactionHash, success: result.receipt?.success === true && after === before + 1n }));
