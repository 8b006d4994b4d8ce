// The package root exports the client as documented: import { createDanClient } from 'dan-node'.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

it("import { createDanClient } from 'dan-node' gives a working client factory", async () => {
  const root = await import('dan-node');
  assert.equal(typeof root.createDanClient, 'function');
  const client = root.createDanClient({ url: 'http://127.0.0.1:1', account: privateKeyToAccount(generatePrivateKey()) });
  assert.equal(typeof client.sign, 'function');
  assert.equal(typeof client.keyGen, 'function');
  await assert.rejects(client.nodes(), (e: Error & { code?: string }) => e.code === 'NETWORK_ERROR');
});
