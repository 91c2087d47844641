// The wire and disk form of SCP envelopes: deterministic CBOR (docs/formats.md), decoded with exact
// schemas and limits, and the signature payload that binds a statement to its network.
import { DecodeError, decode, encode, schema, signingPayload } from '@qm/ledger';
import type { Ballot, Envelope, Pledges, Statement } from '@qm/scp';

/** Domain-separation tag of SCP statement signatures (docs/formats.md). */
export const SCP_DOMAIN_TAG = 'qm/scp/v1';

/** Bounds on an SCP envelope off the wire: a few values of a few dozen bytes each. */
export const SCP_LIMITS = {
  maxEnvelopeBytes: 16 * 1024,
  maxValues: 64,
  maxValueBytes: 256,
  maxNodeIdChars: 96,
};

const u32 = schema.uint(0xffffffff);
const hash = schema.bytes({ length: 32 });
const value = schema.bytes({ maxLength: SCP_LIMITS.maxValueBytes });
const ballot = schema.record({ counter: u32, value });
const values = schema.array(value, { maxLength: SCP_LIMITS.maxValues });

const PLEDGE_SCHEMAS = {
  nominate: schema.record({
    type: schema.literal('nominate'),
    quorumSetHash: hash,
    votes: values,
    accepted: values,
  }),
  prepare: schema.record({
    type: schema.literal('prepare'),
    quorumSetHash: hash,
    ballot,
    prepared: schema.optional(ballot),
    preparedPrime: schema.optional(ballot),
    nC: u32,
    nH: u32,
  }),
  confirm: schema.record({
    type: schema.literal('confirm'),
    quorumSetHash: hash,
    ballot,
    nPrepared: u32,
    nCommit: u32,
    nH: u32,
  }),
  externalize: schema.record({
    type: schema.literal('externalize'),
    commit: ballot,
    nH: u32,
    commitQuorumSetHash: hash,
  }),
} as const;

const envelopeSchema = schema.record({
  statement: schema.record({
    nodeId: schema.text({ maxLength: SCP_LIMITS.maxNodeIdChars }),
    slotIndex: schema.uint(),
    pledges: schema.any(),
  }),
  signature: schema.bytes({ maxLength: 512 }),
});

const ballotOut = (b: Ballot) => ({ counter: b.counter, value: b.value });

/** The CBOR data model of pledges: absent optional ballots are left out rather than null. */
function pledgesOut(p: Pledges): Record<string, unknown> {
  if (p.type !== 'prepare') return { ...p };
  const out: Record<string, unknown> = { ...p, ballot: ballotOut(p.ballot) };
  if (p.prepared === null) delete out.prepared;
  if (p.preparedPrime === null) delete out.preparedPrime;
  return out;
}

const statementOut = (st: Statement) => ({
  nodeId: st.nodeId,
  slotIndex: st.slotIndex,
  pledges: pledgesOut(st.pledges),
});

/** Canonical bytes of a statement (what is signed). */
export function encodeStatement(st: Statement): Uint8Array {
  return encode(statementOut(st) as never);
}

export function encodeScpEnvelope(env: Envelope): Uint8Array {
  return encode({ statement: statementOut(env.statement), signature: env.signature } as never);
}

/** Decodes an envelope off the wire or disk; throws DecodeError (never anything else) on bad input. */
export function decodeScpEnvelope(bytes: Uint8Array): Envelope {
  if (bytes.length > SCP_LIMITS.maxEnvelopeBytes) {
    throw new DecodeError('DECODE_TOO_LARGE', `SCP envelope of ${bytes.length} bytes`, {
      bytes: bytes.length,
    });
  }
  const raw = envelopeSchema.parse(decode(bytes, { maxBytes: SCP_LIMITS.maxEnvelopeBytes }));
  const p = raw.statement.pledges as { type?: unknown } | null;
  const type = typeof p === 'object' && p !== null ? p.type : undefined;
  if (typeof type !== 'string' || !(type in PLEDGE_SCHEMAS)) {
    throw new DecodeError('DECODE_WRONG_TYPE', 'unknown SCP statement type', { type: String(type) });
  }
  const parsed = PLEDGE_SCHEMAS[type as keyof typeof PLEDGE_SCHEMAS].parse(p, '$.statement.pledges');
  const pledges = (
    parsed.type === 'prepare'
      ? { ...parsed, prepared: parsed.prepared ?? null, preparedPrime: parsed.preparedPrime ?? null }
      : parsed
  ) as Pledges;
  return {
    statement: { nodeId: raw.statement.nodeId, slotIndex: raw.statement.slotIndex, pledges },
    signature: raw.signature,
  };
}

/** What a node signs for a statement: the statement bound to its network and to SCP. */
export function scpSigningPayload(networkId: Uint8Array, st: Statement): Uint8Array {
  return signingPayload(networkId, SCP_DOMAIN_TAG, encodeStatement(st));
}
