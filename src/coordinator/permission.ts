// dan_useDistributedPermission: the user's signed request (calls, account, session, lane, caps) is
// checked first (before any chain or bundler work), then once per (key, requestId): wait for the
// nonce lane, build the userOp within the caps (user-ops.ts), check it with the same code every
// signer runs, have the network sign it, wrap the signature for Smart Sessions and submit it to the
// bundler; optionally wait for the receipt.
import { numberToHex, type Address } from 'viem';
import { BundlerError } from '../chain/index.ts';
import { RequestError, allowedSigners, authenticate, checkKeyLive, checkPolicy, parsePolicy, prepareSign, type SignRequest } from '../requests/index.ts';
import { RpcError, RpcErrorCode, callsOf, toRpcError, type DanParams, type DanResult } from '../rpc/index.ts';
import { checked, type CoordinatorContext } from './context.ts';
import { signPrepared } from './signing.ts';

export async function useDistributedPermission(ctx: CoordinatorContext, p: DanParams<'dan_useDistributedPermission'>): Promise<DanResult<'dan_useDistributedPermission'>> {
  const ops = ctx.o.userOps;
  if (!ops) throw new RpcError(RpcErrorCode.INVALID_REQUEST, 'this coordinator has no chain configured', { reason: 'no_chain' });
  const key = await ctx.keys.require(p.keyId);
  const authorize = () =>
    checked(() => {
      const { content } = authenticate('dan_useDistributedPermission', p, ctx.requests, allowedSigners(key));
      checkKeyLive(key, ctx.requests);
      checkPolicy(parsePolicy(key.policy), { chainId: ops.chain.chainId, sender: p.account as Address, calls: callsOf(p.calls) });
      return content;
    });
  const content = authorize(); // before any work with the chain or the bundler (every signer checks again)
  return ctx.once.run(`permission:${key.keyId}:${p.requestId}`, content, authorize, async () => {
    const lane = await ops.takeLane(p.account, p.lane ?? 0);
    const started = performance.now();
    const timings: Record<string, number> = {};
    const since = (t: number) => performance.now() - t;
    try {
      const op = await ops.build(p, timings).catch((e: unknown) => {
        throw e instanceof RequestError ? toRpcError(e) : e; // over the caps: refused, typed
      });
      let t = performance.now();
      const request: SignRequest = { kind: 'permission', request: p, userOperation: ops.json(op) };
      const prepared = checked(() => prepareSign(request, key, ctx.requests)); // what every signer will check
      const sig = await signPrepared(ctx, key, prepared, request, () => {});
      timings.signMs = since(t);
      t = performance.now();
      const sent = await ops.submit(op, p.permissionId, sig.signature);
      timings.submitMs = since(t);
      const finish = () => {
        timings.totalMs = since(started);
        // The coordinator's own time: everything but waiting for the chain and the bundler.
        timings.ownMs = timings.totalMs - timings.chainMs - timings.estimateMs - timings.submitMs - (timings.receiptMs ?? 0);
        return Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v * 100) / 100]));
      };
      if (!p.waitForReceipt) {
        // Keep the lane until the userOp is included, so the next one on it reads the right nonce.
        ops.bundler.waitForUserOperationReceipt(sent, { timeoutMs: 120_000 }).then(lane.release, lane.release);
        return { userOpHash: sent, timings: finish() };
      }
      t = performance.now();
      const r = await ops.bundler.waitForUserOperationReceipt(sent, { timeoutMs: 120_000 });
      timings.receiptMs = since(t);
      lane.release();
      return {
        userOpHash: sent,
        receipt: { success: r.success, transactionHash: r.receipt.transactionHash, blockNumber: numberToHex(r.receipt.blockNumber), actualGasUsed: numberToHex(r.actualGasUsed) },
        timings: finish(),
      };
    } catch (e) {
      lane.release();
      if (e instanceof BundlerError) {
        throw new RpcError(RpcErrorCode.BUNDLER_ERROR, `bundler refused the userOp: ${e.message}`, { reason: 'bundler_error', aaCode: e.aaCode, bundlerCode: e.code });
      }
      throw e;
    }
  });
}
