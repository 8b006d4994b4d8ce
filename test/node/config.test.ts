// Node configuration: the documented example is valid, overrides apply in order, and every bad
// field gets its own message.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, validateConfig } from '../../src/node/config.ts';

const example = JSON.parse(readFileSync(new URL('../../node/config.example.json', import.meta.url), 'utf8'));

describe('node config', () => {
  it('accepts the documented example', () => {
    const c = validateConfig(example, 'example');
    assert.equal(c.coordinator, true);
    assert.equal(c.operators.length, 3);
    assert.equal(c.presign.poolDepth, 16);
  });

  it('env vars override the file and flags override env vars', () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-config-'));
    writeFileSync(join(home, 'config.json'), JSON.stringify(example));
    const c = loadConfig(home, { DAN_NODE_RPC: '127.0.0.1:9000', DAN_NODE_LOG_LEVEL: 'debug', DAN_NODE_POOL_DEPTH: '3' }, { logLevel: 'warn' });
    assert.equal(c.rpc.port, 9000);
    assert.equal(c.log.level, 'warn');
    assert.equal(c.presign.poolDepth, 3);
  });

  it('reports every bad field with its name', () => {
    const bad = { ...example, listen: ['tcp://x'], rpc: { port: 70000 }, presign: { poolDepth: -1 }, log: { level: 'loud' }, colour: 'red' };
    try {
      validateConfig(bad, 'test');
      assert.fail('should have thrown');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      const text = e.problems.join('\n');
      for (const field of ['listen', 'rpc.port', 'presign.poolDepth', 'log.level', 'unknown field "colour"']) assert.match(text, new RegExp(field.replace('.', '\\.')));
    }
  });

  it('a bad value from the environment or a flag names the variable or flag, not the file', () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-config-'));
    writeFileSync(join(home, 'config.json'), JSON.stringify(example));
    const problems = (env: NodeJS.ProcessEnv, flags = {}) => {
      try {
        loadConfig(home, env, flags);
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.problems.join('\n');
      }
      return assert.fail('should have thrown');
    };
    assert.match(problems({ DAN_NODE_RPC: 'abc' }), /DAN_NODE_RPC must be HOST:PORT.*"abc"/);
    assert.match(problems({ DAN_NODE_RPC: '127.0.0.1:99999' }), /rpc\.port .*99999.*\(set by DAN_NODE_RPC\)/);
    assert.match(problems({ DAN_NODE_POOL_DEPTH: 'many' }), /DAN_NODE_POOL_DEPTH must be a whole number/);
    assert.match(problems({ DAN_NODE_LOG_LEVEL: 'loud' }), /log\.level .*\(set by DAN_NODE_LOG_LEVEL\)/);
    assert.match(problems({}, { rpc: 'host' }), /--rpc must be HOST:PORT/);
    assert.match(problems({ DAN_NODE_NETWORK: 'bad network!' }), /network must be .*\(set by DAN_NODE_NETWORK\)/);
    // A file error is still blamed on the file.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ ...example, rpc: { ...example.rpc, port: -1 } }));
    assert.doesNotMatch(problems({ DAN_NODE_LOG_LEVEL: 'debug' }), /set by/);
  });

  it('a config without a network id is refused, naming the field', () => {
    const { network: _network, ...rest } = example;
    assert.throws(() => validateConfig(rest, 'test'), (e: unknown) => e instanceof ConfigError && /network is missing/.test(e.problems.join()));
  });

  it('a missing config file names the init command', () => {
    const home = mkdtempSync(join(tmpdir(), 'dan-config-'));
    assert.throws(() => loadConfig(home, {}), /dan-node init/);
  });
});
