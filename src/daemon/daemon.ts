// A running node: identity, encrypted store, peer network, the peer guard (bans), protocol
// sessions, the node service (and the recovery of keys left pending), the operator's control
// socket (admin.ts), the ops endpoint with the metrics (ops.ts) and, when configured, the
// coordinator role with its JSON-RPC server.
// `startDaemon` brings it up in that order and returns a handle whose `stop()` takes it down in reverse.
import { VerifiedRequests } from '../auth/index.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { identitySigningKey, loadIdentity, nodeSigner } from '../net/identity.ts';
import { PeerNetwork } from '../net/network.ts';
import { ConfigError, configPath, resolveHome, type NodeConfig } from '../node/config.ts';
import { readSecret } from './secret.ts';
import { PeerGuard } from '../node/guard.ts';
import { EngineThread } from '../node/offload/index.ts';
import { SessionRouter } from '../node/sessions.ts';
import { NodeService } from '../node/service.ts';
import { startPendingKeyRecovery } from '../node/pending-keys.ts';
import { NodeStore } from '../store/index.ts';
import { Coordinator } from '../coordinator/coordinator.ts';
import { publicKeyInfo } from '../coordinator/keys.ts';
import { startAdmin, type AdminOptions } from './admin.ts';
import { takeBackup } from '../backup/index.ts';
import { startHttp } from '../coordinator/http.ts';
import { LegacyWalletProvider } from '../coordinator/legacy.ts';
import { attachLegacyEndpoint } from '../compat/server.ts';
import { RpcMetrics, coordinatorMetrics } from '../coordinator/metrics.ts';
import { createRegistry } from '../metrics/registry.ts';
import { curve } from '../tss/math/secp256k1.ts';
import { NodeMetrics, outcomeOf } from '../node/metrics.ts';
import { startOps } from './ops.ts';
import { UserOps } from '../coordinator/user-ops.ts';

export interface Daemon {
  peerId: string;
  addresses: string[];
  rpcUrl?: string;
  /** The ops endpoint (livez, readyz, metrics), unless turned off. */
  opsUrl?: string;
  log: Logger;
  stop(): Promise<void>;
}

export async function startDaemon(home: string, config: NodeConfig, env: NodeJS.ProcessEnv): Promise<Daemon> {
  const { privateKey, peerId } = loadIdentity(resolveHome(home, config.identityFile));
  if (!config.operators.some((o) => o.peerId === peerId)) {
    throw new ConfigError([`operators does not list this node (peer id ${peerId}, from ${config.identityFile}); add { "peerId": "${peerId}", "addrs": [...] } to it, in every operator's config`], configPath(home));
  }
  const log = createLogger({
    level: config.log.level,
    file: config.log.file ? resolveHome(home, config.log.file) : undefined,
    console: config.log.console,
    base: { node: peerId.slice(-8) },
  });
  const secret = readSecret(home, config, env);
  const store = await NodeStore.open({ path: resolveHome(home, config.dataDir), secret });
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  try {
    const net = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: log.child({ component: 'net' }) });
    cleanup.unshift(() => net.stop());
    const guard = await PeerGuard.load({ self: peerId, store, maxAbortsPerHour: config.bans.maxAbortsPerHour, log: log.child({ component: 'guard' }) });
    const router = new SessionRouter(net, peerId, guard, log.child({ component: 'sessions' }));
    const registry = createRegistry();
    const metrics = new NodeMetrics(registry, { peers: () => net.peers(), router, guard, dataDir: resolveHome(home, config.dataDir) });
    router.onSessionEnd = (protocol, seconds, error) => metrics.sessions.observe({ protocol, outcome: error === undefined ? 'ok' : outcomeOf(error) }, seconds);
    const signingKey = identitySigningKey(privateKey);
    // Two engine threads: a DKG round (up to seconds) must not hold up the presignatures signing waits for.
    const dkgThread = new EngineThread(signingKey, log.child({ component: 'engine', thread: 'dkg' }));
    const presignThread = new EngineThread(signingKey, log.child({ component: 'engine', thread: 'presign' }));
    cleanup.unshift(() => dkgThread.stop(), () => presignThread.stop());
    // Presign sessions have the shorter time-outs: load that engine now. The DKG one starts on first use.
    const warm = presignThread.warmUp();
    net.setSessionHandler((from, frame) => router.onFrame(from, frame));
    net.onPeerLost((peer) => router.peerLost(peer));
    await warm;
    const verified = new VerifiedRequests(config.network);
    const chain = config.chain;
    const service = new NodeService({
      self: peerId,
      store,
      router,
      guard,
      signer: nodeSigner(privateKey),
      dkgParties: dkgThread,
      presignParties: presignThread,
      timeouts: config.timeouts,
      verified,
      chain: chain && { chainId: chain.chainId, entryPoint: chain.entryPoint, smartSessions: chain.smartSessions },
      peers: { call: (peer, method, body, timeoutMs) => net.call(peer, method, body, timeoutMs), operators: config.operators.map((o) => o.peerId) },
      log: log.child({ component: 'node' }),
    });
    // Every call this node answers, from a peer or its own coordinator, is timed.
    const answer = (method: string, body: unknown, from?: string) => metrics.timeCall(NodeService.answers(method) ? method : 'unknown', () => service.handle(method, body, from));
    net.setCallHandler((from, method, body) => answer(method, body, from));
    // Keys left pending by a DKG that was not confirmed everywhere: committed or discarded.
    const recovery = startPendingKeyRecovery(service.ctx);
    cleanup.unshift(async () => recovery.stop());

    let rpcUrl: string | undefined;
    let refresh: ((keyId: string) => Promise<unknown>) | undefined;
    let masters: AdminOptions['masters'];
    let reshare: AdminOptions['reshare'];
    if (config.coordinator) {
      const configured = config.operators.map((o) => o.peerId);
      const operators = configured.includes(peerId) ? configured : [peerId, ...configured];
      const coordinator = new Coordinator(
        {
          self: peerId,
          operators,
          isLive: (peer) => peer === peerId || net.isConnected(peer),
          lastSeen: (peer) => net.peers().find((p) => p.peerId === peer)?.lastSeen,
          call: (peer, method, body, timeoutMs) => (peer === peerId ? answer(method, body) : net.call(peer, method, body, timeoutMs)) as never,
        },
        { timeouts: config.timeouts, pool: { depth: config.presign.poolDepth, sets: config.presign.poolSets, concurrency: 2, lowWater: config.presign.lowWater },
          verified,
          journal: store,
          recordBlame: (record) => guard.blame(record),
          userOps: chain?.rpcUrl && chain.bundlerUrl ? new UserOps({ ...chain, rpcUrl: chain.rpcUrl, bundlerUrl: chain.bundlerUrl }) : undefined,
          log: log.child({ component: 'coordinator' }) },
      );
      const rpcMetrics = new RpcMetrics(registry);
      coordinatorMetrics(registry, coordinator, operators);
      const http = await startHttp({
        host: config.rpc.host,
        port: config.rpc.port,
        maxBodyBytes: config.rpc.maxBodyBytes,
        maxConnectionsPerClient: config.rpc.maxConnectionsPerClient,
        handle: (method, params) => coordinator.handle(method, params),
        ready: () => net.peers().every((p) => p.connected),
        metrics: rpcMetrics,
        log: log.child({ component: 'rpc' }),
      });
      const legacy = config.rpc.legacyWalletProvider
        ? attachLegacyEndpoint(http.server, {
            backend: new LegacyWalletProvider(coordinator, operators.length),
            log: log.child({ component: 'legacy' }),
            onDone: (operation, outcome, seconds) => {
              rpcMetrics.requests.inc({ method: `legacy_${operation}`, outcome });
              rpcMetrics.duration.observe({ method: `legacy_${operation}` }, seconds);
            },
          })
        : undefined;
      coordinator.start();
      rpcUrl = http.url;
      refresh = async (keyId) => coordinator.refresh(await coordinator.requireKey(keyId), { operator: true });
      reshare = (keyId, target) => coordinator.reshare(keyId, target);
      masters = { list: () => coordinator.masterKeys().map(publicKeyInfo), create: async (threshold, parties) => publicKeyInfo(await coordinator.createMasterKey(threshold, parties)) };
      cleanup.unshift(async () => {
        coordinator.stop();
        legacy?.close();
        await http.close();
      });
    }
    const backup = (out: string) => takeBackup({ store, home, identityFile: config.identityFile, peerId }, out);
    const shares = async () =>
      (await store.listKeys()).filter((k) => !k.derivation).map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, threshold: k.threshold, parties: k.parties, generation: k.generation, ...(k.master ? { master: true } : {}) }));
    const admin = await startAdmin({ home, guard, refresh, masters, reshare, backup, shares, approvals: service.ctx.approvals, log: log.child({ component: 'admin' }) });
    cleanup.unshift(() => admin.close());
    let opsUrl: string | undefined;
    if (config.ops.enabled) {
      const ops = await startOps({
        host: config.ops.host,
        port: config.ops.port,
        registry,
        // Ready to take part: started, and connected to another operator (or the only one).
        ready: () => {
          const peers = net.peers();
          const connected = peers.filter((p) => p.connected).length;
          return { ready: peers.length === 0 || connected > 0, peersConnected: connected, peersConfigured: peers.length };
        },
        log: log.child({ component: 'ops' }),
      });
      opsUrl = ops.url;
      cleanup.unshift(() => ops.close());
    }
    log.info('node started', { peerId, addresses: net.addresses, coordinator: config.coordinator, rpc: rpcUrl, ops: opsUrl, secp256k1: curve.name });
    if (curve.name === 'wasm') log.warn('libsecp256k1 runs as WebAssembly (the native binding did not load or DAN_NODE_SECP256K1=wasm): key generation and presigning are 2-3x slower');
    return {
      peerId,
      addresses: net.addresses,
      rpcUrl,
      opsUrl,
      log,
      stop: async () => {
        for (const step of cleanup) await step().catch((e: Error) => log.warn('shutdown step failed', { error: e.message }));
      },
    };
  } catch (e) {
    for (const step of cleanup) await step().catch(() => {});
    throw e;
  }
}
