import type { Envelope } from '@qm/scp';
import { describe, expect, it } from 'vitest';
import { encodeStatement, isWellFormedEnvelope, macEquals, macStatement, nodeSecret } from '../src/codec.js';
import { combineMax, encodeValue, isValidValue, parseValue } from '../src/values.js';

const hash = new Uint8Array(32).fill(7);

describe('values', () => {
  it('round-trips and validates slot and proposer', () => {
    const v = encodeValue(3, 'v1', 0xabc);
    expect(parseValue(v)).toEqual({ slot: 3, node: 'v1', nonce: '00000abc' });
    const known = new Set(['v1']);
    expect(isValidValue(3, v, known)).toBe(true);
    expect(isValidValue(4, v, known)).toBe(false);
    expect(isValidValue(3, encodeValue(3, 'x', 1), known)).toBe(false);
    expect(isValidValue(3, new Uint8Array([0xff, 0xfe]), known)).toBe(false);
  });

  it('combines candidates as the bytewise maximum', () => {
    const a = encodeValue(1, 'a', 1);
    const b = encodeValue(1, 'b', 0);
    expect(combineMax([a, b])).toBe(b);
    expect(combineMax([])).toBeNull();
  });
});

describe('envelope decoding and MAC signatures', () => {
  const statement = {
    nodeId: 'v1',
    slotIndex: 2,
    pledges: {
      type: 'nominate' as const,
      quorumSetHash: hash,
      votes: [encodeValue(2, 'v1', 1)],
      accepted: [],
    },
  };

  it('accepts a well-formed envelope and rejects broken shapes', () => {
    const env: Envelope = { statement, signature: macStatement('k', statement) };
    expect(isWellFormedEnvelope(env)).toBe(true);
    expect(isWellFormedEnvelope({ statement: { nodeId: 7 }, signature: 'x' })).toBe(false);
    expect(isWellFormedEnvelope({ ...env, signature: new Uint8Array(3) })).toBe(false);
    expect(
      isWellFormedEnvelope({
        ...env,
        statement: { ...statement, pledges: { ...statement.pledges, type: 'vote' } },
      }),
    ).toBe(false);
    const prepare = {
      ...env,
      statement: {
        ...statement,
        pledges: {
          type: 'prepare',
          quorumSetHash: hash,
          ballot: { counter: 1, value: new Uint8Array(1) },
          prepared: null,
          preparedPrime: null,
          nC: 0,
          nH: -1,
        },
      },
    };
    expect(isWellFormedEnvelope(prepare)).toBe(false);
  });

  it('binds the tag to signer and content', () => {
    const k1 = nodeSecret(1, 'v1');
    const tag = macStatement(k1, statement);
    expect(macEquals(tag, macStatement(k1, statement))).toBe(true);
    expect(macEquals(tag, macStatement(nodeSecret(1, 'v2'), statement))).toBe(false);
    expect(macEquals(tag, macStatement(k1, { ...statement, slotIndex: 3 }))).toBe(false);
    expect(encodeStatement(statement)).not.toBe(encodeStatement({ ...statement, nodeId: 'v11' }));
  });
});
