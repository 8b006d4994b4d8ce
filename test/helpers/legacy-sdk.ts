// The published legacy SDK for tests: installs it in its fixture folder on first use (it pins an
// older viem, so it has its own node_modules), runs its DAN actions in a child process (driver.mjs),
// builds frames with its own client classes in process, and talks to the WebSocket endpoint
// frame by frame (to tamper with what a real client would send).
import { execFileSync, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import type { Hex, LocalAccount } from 'viem';

export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'legacy-sdk');

/** npm ci in the fixture folder unless its packages are installed. */
export function ensureLegacySdk(): void {
  if (existsSync(join(FIXTURE, 'node_modules', '@biconomy', 'sdk', 'package.json'))) return;
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: FIXTURE, stdio: ['ignore', 'inherit', 'inherit'] });
}

const wsFlag = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : [];

/** Run one driver.mjs command in a child process; resolves with its result, rejects with its error. */
export function runDriver<T = any>(command: 'keygen' | 'siggen' | 'addephkey', input: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...wsFlag, 'driver.mjs', command, JSON.stringify(input)], { cwd: FIXTURE, timeout: 120_000 }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let out: { ok: boolean; result?: T; error?: string };
      try {
        out = JSON.parse(last);
      } catch {
        return reject(new Error(`driver ${command} printed no result (${error?.message ?? ''}): ${stderr.slice(-2000)}`));
      }
      if (out.ok) resolve(out.result as T);
      else reject(new Error(out.error));
    });
  });
}

/** The SDK's keyGen result. */
export interface KeyGenData {
  keyId: string;
  publicKey: string;
  sessionPublicKey: Hex;
  ephSK: Hex;
  ephId: string;
}

// ---- frames built by the real client classes --------------------------------------------------

interface AuthModule {
  authenticate(a: { setup: object; challenge: string }): Promise<object>;
}
interface ClientModule {
  EOAAuth: new (ephId: string, eoa: string, wallet: { signTypedData(eoa: string, request: any): Promise<Hex> }, ephPK: Uint8Array, lifetime?: number) => AuthModule;
  EphAuth: new (ephId: string, ephSK: Uint8Array) => AuthModule;
  NetworkSigner: new (client: unknown, t: number, n: number, auth: AuthModule) => {
    generateKey(): Promise<unknown>;
    signMessage(keyId: string, message: string): Promise<unknown>;
    addEphemeralKey(keyId: string): Promise<unknown>;
  };
  generateEphPrivateKey(): Uint8Array;
  getEphPublicKey(sk: Uint8Array): Uint8Array;
}

let client: Promise<ClientModule> | undefined;
const clientModule = (): Promise<ClientModule> => (client ??= import(pathToFileURL(join(FIXTURE, 'client.mjs')).href) as Promise<ClientModule>);

/** A request the client library prepared: its setup frame, and its authentication for a challenge. */
export interface PreparedRequest {
  setup: string;
  authenticate(challenge: string): Promise<string>;
}

/**
 * Let the client library prepare a request without a network: a stand-in service client captures
 * the setup object and the auth module (the real service client would base64 the signgen message
 * before sending, as done here).
 */
async function prepare(auth: AuthModule, t: number, n: number, start: (s: InstanceType<ClientModule['NetworkSigner']>) => Promise<unknown>): Promise<PreparedRequest> {
  const { NetworkSigner } = await clientModule();
  return new Promise((resolve, reject) => {
    const capture = ({ setup, authModule }: { setup: { queryPath: string; message?: string }; authModule: AuthModule }) => {
      if (setup.queryPath === 'signgen') setup.message = Buffer.from(setup.message!, 'utf8').toString('base64');
      resolve({ setup: JSON.stringify(setup), authenticate: async (challenge) => JSON.stringify(await authModule.authenticate({ setup, challenge })) });
      return new Promise(() => {});
    };
    const service = { startKeygen: capture, startSigngen: capture, addEphemeralKey: capture };
    start(new NetworkSigner(service, t, n, auth)).catch(reject);
  });
}

export interface EphemeralKey {
  ephId: string;
  ephSK: Uint8Array;
}

export async function newEphemeralKey(ephId = `eph-${Math.random().toString(36).slice(2)}`): Promise<EphemeralKey> {
  return { ephId, ephSK: (await clientModule()).generateEphPrivateKey() };
}

const walletOf = (owner: LocalAccount) => ({ signTypedData: (_eoa: string, request: any) => owner.signTypedData(request) });

/** keygen as the SDK prepares it: `owner` signs (EIP-712), `eph` is registered with the key. */
export async function prepareKeygen(o: { owner: LocalAccount; eph: EphemeralKey; t: number; n: number; lifetimeSec?: number; claimedSigner?: string }): Promise<PreparedRequest> {
  const m = await clientModule();
  const auth = new m.EOAAuth(o.eph.ephId, o.claimedSigner ?? o.owner.address, walletOf(o.owner), m.getEphPublicKey(o.eph.ephSK), o.lifetimeSec ?? 3600);
  return prepare(auth, o.t, o.n, (s) => s.generateKey());
}

/** signgen as the SDK prepares it: `eph` signs the setup (message = the outer JSON) and challenge. */
export async function prepareSigngen(o: { eph: EphemeralKey; keyId: string; message: string; t: number }): Promise<PreparedRequest> {
  const m = await clientModule();
  return prepare(new m.EphAuth(o.eph.ephId, o.eph.ephSK), o.t, 3, (s) => s.signMessage(o.keyId, o.message));
}

/** addEphemeralKey as the client library prepares it, signed by `owner`. */
export async function prepareAddEphemeralKey(o: { owner: LocalAccount; eph: EphemeralKey; keyId: string; n: number; lifetimeSec?: number }): Promise<PreparedRequest> {
  const m = await clientModule();
  const auth = new m.EOAAuth(o.eph.ephId, o.owner.address, walletOf(o.owner), m.getEphPublicKey(o.eph.ephSK), o.lifetimeSec ?? 3600);
  return prepare(auth, 2, o.n, (s) => s.addEphemeralKey(o.keyId));
}

/** The outer signgen message the SDK builds for a userOp (before base64). */
export function signgenMessage(userOperation: Record<string, unknown>, chainId: number, entryPointAddress = '0x0000000071727De22E5E9d8BAf0edAc6f37da032'): string {
  return JSON.stringify({
    message: JSON.stringify({ userOperation, entryPointVersion: 'v0.7.0', entryPointAddress, chainId }),
    requestType: 'accountAbstractionTx',
  });
}

// ---- talking to the endpoint frame by frame ----------------------------------------------------

export interface Exchange {
  /** The challenge the server sent, if it got that far. */
  challenge?: string;
  /** The result string, if the server sent one. */
  result?: string;
  /** Close code and reason (1005/'' when the client closed after the result). */
  code: number;
  reason: string;
}

/**
 * One operation over a raw WebSocket: send `setup` (string, or Buffer for a binary frame), then
 * `auth(challenge)` when a challenge arrives; records what the server did.
 */
export function exchange(url: string, operation: string, setup: string | Buffer, auth?: (challenge: string) => Promise<string | Buffer | undefined>): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/${operation}`);
    const out: Exchange = { code: 0, reason: '' };
    let frames = 0;
    ws.on('open', () => ws.send(setup));
    ws.on('message', async (data) => {
      const text = data.toString();
      if (frames++ === 0) {
        out.challenge = text;
        const reply = auth ? await auth(text) : undefined;
        if (reply !== undefined) ws.send(reply);
      } else {
        out.result = text;
        ws.close();
      }
    });
    ws.on('close', (code, reason) => resolve({ ...out, code, reason: reason.toString() }));
    ws.on('error', reject);
  });
}

/** A prepared request run to its end over a raw socket. */
export function send(url: string, operation: string, r: PreparedRequest, tamper: { setup?: (s: string) => string; auth?: (a: string) => string } = {}): Promise<Exchange> {
  return exchange(url, operation, tamper.setup ? tamper.setup(r.setup) : r.setup, async (c) => {
    const a = await r.authenticate(c);
    return tamper.auth ? tamper.auth(a) : a;
  });
}
