// Starting a node the way an operator does (bin/dan-node.js as a process): `init` needs a network
// id and writes a random secret file (0600); `start` refuses a short secret, a config whose
// operator list lacks the node itself, and names the environment variable behind a bad value.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/dan-node.js', import.meta.url).pathname;

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { DAN_NODE_SECRET: _secret, ...base } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('node start-up (dan-node init / start as processes)', { timeout: 180_000 }, () => {
  const home = join(mkdtempSync(join(tmpdir(), 'dan-startup-')), 'node');

  it('init needs --network, then writes the config with it and a 0600 secret file', () => {
    const missing = run(['init', '--home', home]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /--network is required/);

    const r = run(['init', '--home', home, '--network', 'startup-test', '--listen', '/ip4/127.0.0.1/tcp/0']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^12D3Koo/);
    assert.match(r.stderr, /operator secret written to .*secret .*back it up/);
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
    assert.equal(config.network, 'startup-test');
    assert.equal(config.secretFile, 'secret');
    const secret = readFileSync(join(home, 'secret'), 'utf8').trim();
    assert.ok(secret.length >= 43, 'a 32-byte random secret');
    assert.equal(statSync(join(home, 'secret')).mode & 0o777, 0o600);
  });

  it('start refuses a secret shorter than 16 characters, naming its source', () => {
    const r = run(['start', '--home', home], { DAN_NODE_SECRET: 'x' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DAN_NODE_SECRET is 1 characters long; at least 16 are needed/);
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
    writeFileSync(join(home, 'short-secret'), 'tooshort\n', { mode: 0o600 });
    writeFileSync(join(home, 'config.json'), JSON.stringify({ ...config, secretFile: 'short-secret' }));
    const fromFile = run(['start', '--home', home]);
    assert.notEqual(fromFile.status, 0);
    assert.match(fromFile.stderr, /short-secret \(config "secretFile"\) is 8 characters long/);
    // DAN_NODE_SECRET_FILE (a container secret) wins over the config's file, and is named.
    const fromEnvFile = run(['start', '--home', home], { DAN_NODE_SECRET_FILE: join(home, 'short-secret') });
    assert.notEqual(fromEnvFile.status, 0);
    assert.match(fromEnvFile.stderr, /short-secret \(DAN_NODE_SECRET_FILE\) is 8 characters long/);
    assert.match(run(['start', '--home', home], { DAN_NODE_SECRET_FILE: join(home, 'nope') }).stderr, /secret file .*nope \(DAN_NODE_SECRET_FILE\) not found/);
    writeFileSync(join(home, 'config.json'), JSON.stringify(config));
  });

  it('start names the environment variable or flag behind a bad value', () => {
    const r = run(['start', '--home', home], { DAN_NODE_RPC: 'nonsense', DAN_NODE_SECRET: 'a'.repeat(32) });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /DAN_NODE_RPC must be HOST:PORT/);
    assert.doesNotMatch(r.stderr, /rpc\.port/);
    const ops = run(['start', '--home', home, '--ops', '127.0.0.1:99999'], { DAN_NODE_SECRET: 'a'.repeat(32) });
    assert.notEqual(ops.status, 0);
    assert.match(ops.stderr, /ops\.port must be an integer in \[0, 65535\], got 99999 \(set by --ops\)/);
    assert.match(run(['start', '--home', home], { DAN_NODE_OPS: 'nowhere' }).stderr, /DAN_NODE_OPS must be HOST:PORT \(e\.g\. 127\.0\.0\.1:9464\) or off/);
  });

  it('health says a stopped node does not answer (exit 1), and checks its options', () => {
    const r = run(['health', '--home', home]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^http:\/\/127\.0\.0\.1:9464\/livez: no answer \(ECONNREFUSED\)$/m);
    assert.match(run(['health', '--home', home], { DAN_NODE_OPS: 'off' }).stderr, /the ops endpoint is turned off/);
    assert.equal(run(['health']).status, 2);
  });

  it('start refuses a config whose operator list lacks the node itself', () => {
    const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'));
    writeFileSync(join(home, 'config.json'), JSON.stringify({ ...config, operators: [{ peerId: '12D3KooWNX9qVE7yuwgJxVFiwJ5fsXxGiuoHLmcw8e6qcfRyABu2', addrs: ['/ip4/127.0.0.1/tcp/7002'] }] }));
    const r = run(['start', '--home', home]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /operators does not list this node \(peer id 12D3Koo/);
  });
});
