// An operator's approvals of reshares, held by its node: a reshare moves keys to another set of
// parties (who may then sign with them), so no coordinator may start one alone. Each operator whose
// node takes part (dealing, receiving or leaving) approves a membership change on its own node
// (`dan-node keys approve`, through the control socket): add a node, remove one, replace one,
// change the threshold, or an explicit target; optionally for some keys only; with an expiry. The
// node refuses a reshare whose target is not what some live approval makes of the key's current
// parties and threshold. An approval moves each key once (a key moved back needs a new one).
// Approvals live in memory only: a restart forgets them, as an expiry does.
// The same changeTarget() turns a change into each key's target in `dan-node keys`.

/** A membership change, applied to each key's current parties and threshold. */
export type MembershipChange =
  | { kind: 'add'; node: string; threshold?: number }
  | { kind: 'remove'; node: string; threshold?: number }
  | { kind: 'replace'; node: string; with: string }
  | { kind: 'threshold'; threshold: number }
  | { kind: 'reshare'; parties: string[]; threshold: number };

export interface Membership {
  /** In party order. */
  parties: string[];
  threshold: number;
}

export type ReshareApproval = MembershipChange & {
  /** Only these keys (absent: every key this node takes part in). */
  keys?: string[];
  /** Unix milliseconds. */
  expiresAt: number;
  /** Keys reshared under it already: an approval moves each key once. */
  used?: string[];
};

/** The longest an approval may live. */
export const MAX_APPROVAL_MS = 24 * 3600_000;

/** What `change` makes of a key with `current` membership; a string says why it does not apply. */
export function changeTarget(current: Membership, change: MembershipChange): Membership | string {
  const { parties, threshold } = current;
  switch (change.kind) {
    case 'add':
      if (parties.includes(change.node)) return `${change.node} is a party already`;
      return checked({ parties: [...parties, change.node], threshold: change.threshold ?? threshold });
    case 'remove': {
      if (!parties.includes(change.node)) return `${change.node} is not a party`;
      const rest = parties.filter((p) => p !== change.node);
      return checked({ parties: rest, threshold: change.threshold ?? Math.min(threshold, rest.length) });
    }
    case 'replace':
      if (!parties.includes(change.node)) return `${change.node} is not a party`;
      if (parties.includes(change.with)) return `${change.with} is a party already`;
      return checked({ parties: parties.map((p) => (p === change.node ? change.with : p)), threshold });
    case 'threshold':
      return checked({ parties, threshold: change.threshold });
    case 'reshare':
      return checked({ parties: change.parties, threshold: change.threshold });
  }
}

function checked(m: Membership): Membership | string {
  if (m.parties.length < 2) return 'a key needs at least 2 parties';
  if (new Set(m.parties).size !== m.parties.length) return 'parties must be distinct';
  if (!Number.isInteger(m.threshold) || m.threshold < 2 || m.threshold > m.parties.length) return `threshold must be an integer in 2..${m.parties.length}`;
  return m;
}

export const sameMembership = (a: Membership, b: Membership): boolean => a.threshold === b.threshold && a.parties.join() === b.parties.join();

export class ReshareApprovals {
  private approvals: ReshareApproval[] = [];

  approve(a: ReshareApproval): ReshareApproval {
    this.prune();
    const approval = structuredClone(a);
    this.approvals.push(approval);
    return approval;
  }

  /** The live approval that makes `target` of key `keyId`'s `current` membership, if any. */
  find(keyId: string, current: Membership, target: Membership): ReshareApproval | undefined {
    this.prune();
    return this.approvals.find((a) => {
      if ((a.keys && !a.keys.includes(keyId)) || a.used?.includes(keyId)) return false;
      const t = changeTarget(current, a);
      return typeof t !== 'string' && sameMembership(t, target);
    });
  }

  /** Key `keyId` was reshared under `approval`: it covers that key no more. */
  use(approval: ReshareApproval, keyId: string): void {
    (approval.used ??= []).push(keyId);
  }

  list(): ReshareApproval[] {
    this.prune();
    return structuredClone(this.approvals);
  }

  /** Withdraw every approval; returns how many there were. */
  revoke(): number {
    const n = this.list().length;
    this.approvals = [];
    return n;
  }

  private prune(): void {
    const now = Date.now();
    this.approvals = this.approvals.filter((a) => a.expiresAt > now);
  }
}
