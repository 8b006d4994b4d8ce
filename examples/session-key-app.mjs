// A small app on dan-node: an owner, a distributed session key, a Nexus account that grants the key
// a Smart Session for one call (Counter.increment), then the network signs and submits that call.
// Run it with the devnet up (npm start) and the package built: node examples/session-key-app.mjs
// Every address and URL comes from the devnet's devnet.json (DEVNET_JSON, default .devnet/devnet.json).
import { readFileSync } from 'node:fs';
import { createPublicClient, createWalletClient, encodeFunctionData, http, parseAbi, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { danActions, danSession, grantSessions, nexusAccount } from 'dan-node';

const devnet = JSON.parse(readFileSync(process.env.DEVNET_JSON ?? '.devnet/devnet.json', 'utf8'));
const { rpcUrl, bundlerUrl, chainId, contracts, funded } = devnet.chain; // contracts: EntryPoint, Nexus, Smart Sessions, Counter, ...
const chain = { id: chainId, name: 'devnet', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } };
const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });

// 1. The user's owner key (an app would use the user's wallet) and a dan-node client acting for it.
const owner = privateKeyToAccount(generatePrivateKey());
const client = createWalletClient({ account: owner, chain, transport: http(rpcUrl) }).extend(danActions({ url: devnet.rpcUrl }));
console.log(`1. owner ${owner.address}`);

// 2. A distributed session key: no machine ever holds it; the nodes only sign Counter.increment with it.
const increment = encodeFunctionData({ abi: parseAbi(['function increment()']), functionName: 'increment' });
const key = await client.keyGen({ threshold: devnet.threshold, policy: { chainId, allow: [{ target: contracts.counter, selector: increment }] } });
console.log(`2. session key ${key.address} (${key.threshold}-of-${key.parties})`);

// 3. The user's Nexus account (counterfactual until its first userOp), funded so that it can pay for gas.
const account = await nexusAccount(publicClient, { contracts, owner: owner.address });
const bank = createWalletClient({ account: privateKeyToAccount(funded[0].privateKey), chain, transport: http(rpcUrl) });
await publicClient.waitForTransactionReceipt({ hash: await bank.sendTransaction({ to: account.address, value: parseEther('0.1') }) });
console.log(`3. Nexus account ${account.address}, funded with 0.1 ETH`);

// 4. The owner grants the key a Smart Session: Counter.increment only (a userOp the owner signs).
const { session, permissionId } = danSession({ contracts, keyAddress: key.address, actions: [{ target: contracts.counter, selector: increment }] });
await grantSessions(publicClient, { contracts, chainId, bundlerUrl, owner, account, sessions: [session] });
console.log(`4. session ${permissionId} granted`);

// 5. The network builds the userOp, a quorum of nodes signs it, the bundler includes it.
const { userOpHash, receipt } = await client.useDistributedPermissionWithReceipt({ keyId: key.keyId, permissionId, account: account.address, calls: [{ to: contracts.counter, data: increment }] });
console.log(`5. userOp ${userOpHash} included in ${receipt.transactionHash}: ${receipt.success ? 'success' : 'reverted'}`);
console.log(JSON.stringify({ sender: account.address, userOpHash, transactionHash: receipt.transactionHash, success: receipt.success }));
