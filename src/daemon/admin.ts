// The operator's control socket of a running node: HOME/admin.sock, a Unix socket of mode 0600, so
// only the account that runs the node can use it (no network exposure, no extra credential).
// JSON over HTTP: GET /peers (this node's bans, suspensions and blames, with evidence),
// POST /peers/lift { peer } (lift them; a lifted ban marks the shared keys for a refresh),
// POST /refresh { keyId } (coordinator nodes: refresh the key through the network as an operator),
// GET /masters and POST /masters { threshold, parties? } (coordinator nodes: the master keys that
// keyGen derives from, and a new one), POST /backup { out } (a consistent backup while the node
// runs, src/backup), GET /keys (the keys this node holds a share of: isolated and master keys),
// GET /reshare/approvals, POST /reshare/approve { change, keys?, ttlSeconds } and
// POST /reshare/revoke (this operator's approvals of reshares, src/node/approvals.ts), POST
// /reshare { keyId, parties, threshold } (coordinator nodes: reshare the key through the network).
// `dan-node bans`, `refresh`, `master`, `backup` and `keys` talk to it (src/cli); with the node
// stopped, `bans` and `backup` open the store directly instead.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { isAbsolute, join } from 'node:path';
import { toWire } from '../errors/index.ts';
import type { Logger } from '../log/logger.ts';
import { MAX_APPROVAL_MS, type MembershipChange, type ReshareApprovals } from '../node/approvals.ts';
import type { PeerGuard } from '../node/guard.ts';

export const ADMIN_SOCKET = 'admin.sock';

export interface AdminOptions {
  home: string;
  guard: PeerGuard;
  /** Present on coordinator nodes. */
  refresh?: (keyId: string) => Promise<unknown>;
  /** Present on coordinator nodes. */
  masters?: { list(): unknown[]; create(threshold: number, parties?: string[]): Promise<unknown> };
  /** Write a backup to `out` (an absolute path). */
  backup(out: string): Promise<unknown>;
  /** The keys this node holds a share of (isolated and master keys). */
  shares(): Promise<unknown[]>;
  approvals: ReshareApprovals;
  /** Present on coordinator nodes. */
  reshare?: (keyId: string, target: { parties: string[]; threshold: number }) => Promise<unknown>;
  log: Logger;
}

export async function startAdmin(o: AdminOptions): Promise<{ path: string; close(): Promise<void> }> {
  const path = join(o.home, ADMIN_SOCKET);
  if (existsSync(path)) {
    // A socket left by a crash refuses connections; a live one means another process serves it.
    if (await answers(path)) throw new Error(`${path} is served by another process`);
    unlinkSync(path);
  }
  const server = createServer((req, res) => {
    route(o, req, res).catch((e: unknown) => reply(res, 500, { error: toWire(e) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(o: AdminOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  if (req.method === 'GET' && url === '/peers') return reply(res, 200, { records: o.guard.list() });
  if (req.method === 'GET' && url === '/masters') {
    if (!o.masters) return reply(res, 400, { error: notCoordinator });
    return reply(res, 200, { masters: o.masters.list() });
  }
  if (req.method === 'GET' && url === '/keys') return reply(res, 200, { keys: await o.shares() });
  if (req.method === 'GET' && url === '/reshare/approvals') return reply(res, 200, { approvals: o.approvals.list() });
  if (req.method !== 'POST') return reply(res, 404, { error: { code: 'METHOD_NOT_FOUND', message: `no ${req.method} ${url}` } });
  const body = await readJson(req);
  if (url === '/peers/lift') {
    if (typeof body.peer !== 'string') return reply(res, 400, { error: { code: 'BAD_CALL', message: 'peer must be a peer id' } });
    return reply(res, 200, await o.guard.lift(body.peer));
  }
  if (url === '/backup') {
    if (typeof body.out !== 'string' || !isAbsolute(body.out)) return reply(res, 400, { error: { code: 'BAD_CALL', message: 'out must be an absolute path' } });
    o.log.info('backup requested', { out: body.out });
    try {
      return reply(res, 200, await o.backup(body.out));
    } catch (e) {
      return reply(res, 500, { error: errorOf(e) });
    }
  }
  if (url === '/refresh') {
    if (!o.refresh) return reply(res, 400, { error: notCoordinator });
    if (typeof body.keyId !== 'string') return reply(res, 400, { error: { code: 'BAD_CALL', message: 'keyId must be a string' } });
    o.log.info('operator refresh requested', { keyId: body.keyId });
    try {
      return reply(res, 200, await o.refresh(body.keyId));
    } catch (e) {
      return reply(res, 500, { error: errorOf(e) });
    }
  }
  if (url === '/reshare/approve') {
    const { change, keys, ttlSeconds } = body as { change?: MembershipChange; keys?: unknown; ttlSeconds?: unknown };
    const problem = changeProblem(change);
    if (problem) return reply(res, 400, { error: { code: 'BAD_CALL', message: problem } });
    if (keys !== undefined && !(Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string'))) return reply(res, 400, { error: { code: 'BAD_CALL', message: 'keys must be key ids' } });
    const ttlMs = (typeof ttlSeconds === 'number' ? ttlSeconds : 3600) * 1000;
    if (!(ttlMs > 0 && ttlMs <= MAX_APPROVAL_MS)) return reply(res, 400, { error: { code: 'BAD_CALL', message: `ttlSeconds must be in 1..${MAX_APPROVAL_MS / 1000}` } });
    const approval = o.approvals.approve({ ...change!, ...(keys ? { keys: keys as string[] } : {}), expiresAt: Date.now() + ttlMs });
    o.log.info('reshare approved by the operator', { change, keys: keys ?? 'all', expiresAt: new Date(approval.expiresAt).toISOString() });
    return reply(res, 200, approval);
  }
  if (url === '/reshare/revoke') {
    const revoked = o.approvals.revoke();
    o.log.info('reshare approvals revoked by the operator', { revoked });
    return reply(res, 200, { revoked });
  }
  if (url === '/reshare') {
    if (!o.reshare) return reply(res, 400, { error: notCoordinator });
    const { keyId, parties, threshold } = body;
    if (typeof keyId !== 'string' || !Array.isArray(parties) || parties.some((p) => typeof p !== 'string') || typeof threshold !== 'number') {
      return reply(res, 400, { error: { code: 'BAD_CALL', message: 'a reshare needs keyId, parties (peer ids) and threshold' } });
    }
    o.log.info('operator reshare requested', { keyId, threshold, parties });
    try {
      return reply(res, 200, await o.reshare(keyId, { parties: parties as string[], threshold }));
    } catch (e) {
      return reply(res, 500, { error: errorOf(e) });
    }
  }
  if (url === '/masters') {
    if (!o.masters) return reply(res, 400, { error: notCoordinator });
    const { threshold, parties } = body;
    if (typeof threshold !== 'number') return reply(res, 400, { error: { code: 'BAD_CALL', message: 'threshold must be a number' } });
    if (parties !== undefined && (!Array.isArray(parties) || parties.some((p) => typeof p !== 'string'))) return reply(res, 400, { error: { code: 'BAD_CALL', message: 'parties must be peer ids' } });
    o.log.info('operator master key requested', { threshold, parties });
    try {
      return reply(res, 200, await o.masters.create(threshold, parties as string[] | undefined));
    } catch (e) {
      return reply(res, 500, { error: errorOf(e) });
    }
  }
  return reply(res, 404, { error: { code: 'METHOD_NOT_FOUND', message: `no POST ${url}` } });
}

/** Why `c` is not a membership change (undefined when it is one). */
function changeProblem(c: MembershipChange | undefined): string | undefined {
  const id = (v: unknown) => typeof v === 'string' && v.length > 0;
  const t = (v: unknown, optional: boolean) => (optional && v === undefined) || (Number.isInteger(v) && (v as number) >= 2);
  switch (c?.kind) {
    case 'add':
    case 'remove':
      return id(c.node) && t(c.threshold, true) ? undefined : `${c.kind} needs node (a peer id) and, optionally, threshold (an integer >= 2)`;
    case 'replace':
      return id(c.node) && id(c.with) ? undefined : 'replace needs node and with (peer ids)';
    case 'threshold':
      return t(c.threshold, false) ? undefined : 'threshold must be an integer >= 2';
    case 'reshare':
      return Array.isArray(c.parties) && c.parties.every(id) && t(c.threshold, false) ? undefined : 'reshare needs parties (peer ids) and threshold';
    default:
      return 'change.kind must be add, remove, replace, threshold or reshare';
  }
}

const notCoordinator = { code: 'BAD_CALL', message: 'this node is not a coordinator: run this on a coordinator node' };

function errorOf(e: unknown): { code: string; message: string; data?: unknown } {
  const rpc = e as { code?: unknown; message?: string; data?: { code?: string } };
  if (typeof rpc.code === 'number') return { code: rpc.data?.code ?? String(rpc.code), message: rpc.message ?? 'error', data: rpc.data };
  return toWire(e);
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
        resolve(typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
    req.on('error', reject);
  });
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A client of a node's admin socket (the CLI). Rejects with code ENOENT/ECONNREFUSED when no node serves it. */
export function adminRequest<T>(home: string, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 120_000): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: join(home, ADMIN_SOCKET), method, path, headers: { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as T });
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from the node within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
