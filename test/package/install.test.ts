// The package as an app gets it: `npm pack` (of the build the test runner made), installed into a
// fresh Node ESM app with npm, imported and type-checked without tsx, and its `dan-node` command run.
// Assumes: dist/ is built (scripts/run-tests.js builds it) and the npm cache or registry holds the
// dependencies (npm ci filled the cache).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VIEM = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.viem;
const KEY = `0x${'11'.repeat(32)}`;

describe('the packed package in a plain Node app', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dan-package-'));
  const app = join(dir, 'app');

  before(() => {
    // --ignore-scripts: prepack would rebuild dist/ while other suites run nodes from it.
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const [{ filename, files }] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    assert.ok(files.some((f) => f.path === 'dist/index.js'), 'the tarball holds the build');
    assert.ok(!files.some((f) => f.path.startsWith('src/') || f.path.startsWith('test/')), 'no sources or tests in the tarball');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename), `viem@${VIEM}`], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  it('imports the client, the viem extension and the helpers with plain node', () => {
    writeFileSync(
      join(app, 'index.js'),
      `import { privateKeyToAccount } from 'viem/accounts';
import { createDanClient, danActions, danSession, nexusAccount, grantSessions, authorize, RpcErrorCode } from 'dan-node';
const client = createDanClient({ url: 'http://127.0.0.1:1', account: privateKeyToAccount('${KEY}') });
console.log(JSON.stringify({
  client: typeof client.keyGen,
  danActions: typeof danActions, danSession: typeof danSession, nexusAccount: typeof nexusAccount,
  grantSessions: typeof grantSessions, authorize: typeof authorize, codes: Object.keys(RpcErrorCode).length > 0,
}));
`,
    );
    const r = spawnSync(process.execPath, ['index.js'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      client: 'function',
      danActions: 'function',
      danSession: 'function',
      nexusAccount: 'function',
      grantSessions: 'function',
      authorize: 'function',
      codes: true,
    });
    assert.deepEqual(readdirSync(join(app, 'node_modules', 'dan-node')).sort().includes('src'), false);
  });

  it('ships declarations that type-check an app (and catch a wrong call)', () => {
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] } };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(app, 'good.ts'), `import { privateKeyToAccount } from 'viem/accounts';\nimport { createDanClient, type KeyGenResult } from 'dan-node';\nconst c = createDanClient({ url: 'http://127.0.0.1:1', account: privateKeyToAccount('${KEY}') });\nexport const r: Promise<KeyGenResult> = c.keyGen({ threshold: 2 });\n`);
    const good = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: app, encoding: 'utf8' });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    writeFileSync(join(app, 'bad.ts'), `import { createDanClient } from 'dan-node';\ncreateDanClient({ url: 42 });\n`);
    const bad = spawnSync(process.execPath, [TSC, '-p', '.'], { cwd: app, encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /bad\.ts/);
  });

  it('installs the dan-node command, which runs compiled', () => {
    const r = spawnSync(join(app, 'node_modules', '.bin', 'dan-node'), ['--help'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: dan-node <command>/);
    const init = spawnSync(join(app, 'node_modules', '.bin', 'dan-node'), ['init', '--home', join(dir, 'node'), '--network', 'pkg-test'], { cwd: app, encoding: 'utf8' });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /^12D3Koo/);
  });
});
