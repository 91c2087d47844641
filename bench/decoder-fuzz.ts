// Decoder fuzz benchmark (issue 3): every decoder of untrusted input gets generated inputs (fast-check):
// random bytes, random CBOR values, byte mutations of valid encodings (bit flips, truncation, extension,
// insertion, deletion, CBOR length-field edits), value mutations (a field dropped, added or retyped,
// re-encoded canonically) and hostile shapes (deep nesting, huge lengths, too many items). Every input
// must be either accepted or rejected with the decoder's typed error (DecodeError or OverlayError, with a
// code); an accepted input must re-encode to the same bytes (decoders accept canonical encodings only).
// Anything else is a violation: its input is printed as hex, and the run exits non-zero.
// Writes bench/results/decoder-fuzz.{json,md}. `--quick` for a short run.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildGenesisLedger,
  buildReceipt,
  closeLedger,
  DecodeError,
  decode,
  decodeEnvelope,
  decodeHeader,
  decodeReceipt,
  encode,
  encodeEnvelope,
  encodeHeader,
  encodeReceipt,
  headerHash,
  MemoryLedgerStore,
  schema,
  txHash,
} from '@qm/ledger';
import type { Envelope } from '@qm/scp';
import fc from 'fast-check';
import { decodeTransactionBatch } from '../packages/node/src/api/server.js';
import { decodeScpEnvelope, encodeScpEnvelope } from '../packages/node/src/consensus/scp-codec.js';
import { HistoryError } from '../packages/node/src/history/errors.js';
import { decodeArchivedLedger, encodeArchivedLedger } from '../packages/node/src/history/format.js';
import {
  StoreLedgerApp,
  TX_SET_LIMITS,
  txSetSchema,
} from '../packages/node/src/ledger-app/store-ledger-app.js';
import { OverlayError } from '../packages/node/src/overlay/errors.js';
import { decodeFrame, encodeFrame, FRAME_TYPES } from '../packages/node/src/overlay/frame.js';
import { type Case, type CaseKind, inputs } from './lib/mutate.js';
import { benchNetwork, generateStream } from './lib/network.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');
const QUICK = process.argv.includes('--quick');
/** Cases per decoder; 9 decoders, so the full run makes 9 x 30,000 = 270,000 cases. */
const RUNS = QUICK ? 2_000 : 30_000;
/** Fixed, so a violation reproduces; another run can pass `--seed N`. */
const seedAt = process.argv.indexOf('--seed');
const SEED = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 20_261_125;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// --- valid encodings to mutate, from a real ledger history ----------------------------------------------

const net = benchNetwork();
const stream = generateStream(net, 8, 40);
const store = new MemoryLedgerStore();
store.putClosedLedger(buildGenesisLedger(net.genesis), []);

const scpEnvelopes: Uint8Array[] = (() => {
  const h = (n: number) => new Uint8Array(32).fill(n);
  const value = (n: number) => Uint8Array.from({ length: 40 + n }, (_, i) => (i * 7 + n) & 255);
  const nodeId = net.genesis.validators[0]!.id;
  const pledges: Envelope['statement']['pledges'][] = [
    { type: 'nominate', quorumSetHash: h(1), votes: [value(1), value(2)], accepted: [value(1)] },
    { type: 'nominate', quorumSetHash: h(1), votes: [], accepted: [] },
    {
      type: 'prepare',
      quorumSetHash: h(2),
      ballot: { counter: 3, value: value(3) },
      prepared: { counter: 2, value: value(3) },
      preparedPrime: { counter: 1, value: value(4) },
      nC: 1,
      nH: 2,
    },
    {
      type: 'prepare',
      quorumSetHash: h(2),
      ballot: { counter: 1, value: value(5) },
      prepared: null,
      preparedPrime: null,
      nC: 0,
      nH: 0,
    },
    {
      type: 'confirm',
      quorumSetHash: h(3),
      ballot: { counter: 4, value: value(6) },
      nPrepared: 4,
      nCommit: 2,
      nH: 4,
    },
    { type: 'externalize', commit: { counter: 5, value: value(7) }, nH: 5, commitQuorumSetHash: h(4) },
  ];
  return pledges.map((p, i) =>
    encodeScpEnvelope({
      statement: { nodeId, slotIndex: 1 + i, pledges: p },
      signature: new Uint8Array(64).fill(i + 1),
    }),
  );
})();

const txSets: Uint8Array[] = [];
for (const l of [stream.seed, ...stream.ledgers]) {
  const prev = store.lastClosed()!;
  txSets.push(encode({ prev: headerHash(prev), txs: l.txSet }));
  const c = closeLedger(
    { prev, txSet: l.txSet, closeTime: l.closeTime, networkId: net.actors.networkId, suite: 'ed25519' },
    store,
    store.merkle,
  );
  store.putClosedLedger(c, scpEnvelopes.slice(-2));
}
const last = store.lastClosed()!.sequence;
const envelopes = [...stream.seed.txSet, ...stream.ledgers.flatMap((l) => l.txSet)];
const headers = Array.from({ length: last + 1 }, (_, s) => encodeHeader(store.getHeader(s)!));
const receipts = [
  stream.seed.txSet[0]!,
  stream.ledgers[0]!.txSet[3]!,
  stream.ledgers.at(-1)!.txSet[7]!,
].flatMap((b, i) => {
  const hash = txHash(decodeEnvelope(b));
  return [
    encodeReceipt(buildReceipt(store, hash, { includeScp: i !== 0 })),
    encodeReceipt(buildReceipt(store, hash, { chainFrom: Math.max(0, last - 2) })),
  ];
});
/** `ledger` frame payloads (catch-up from peers): every stored ledger with its statements. */
const ledgerFrames = Array.from({ length: last }, (_, i) =>
  encodeArchivedLedger({
    header: store.getHeader(i + 1)!,
    txSet: store.getTxSet(i + 1)!,
    scpEnvelopes: store.getScpEnvelopes(i + 1)!,
  }),
);
/** Batch submissions (POST /v1/transactions/batch): CBOR arrays of envelopes. */
const batches = [0, 1, 5, 40].map((n) => encode(envelopes.slice(0, n)));
const frames = FRAME_TYPES.flatMap((type, i) =>
  [new Uint8Array(0), scpEnvelopes[i % scpEnvelopes.length]!, envelopes[i]!].map((payload) =>
    encodeFrame({ type, payload }),
  ),
);

// --- the decoders -------------------------------------------------------------------------------------

// parseTxSet reads neither the store nor the SCP state.
const app = new StoreLedgerApp(store, null as never, net.actors.networkId, null as never);

interface Decoder {
  name: string;
  valid: Uint8Array[];
  /** Decodes; returns the re-encoding of what was accepted (undefined: no encoder to compare with). */
  run(b: Uint8Array): Uint8Array | undefined;
  /** The rejection code when `e` is this decoder's typed error; undefined for anything else. */
  typed(e: unknown): string | undefined;
}

const decodeErrorCode = (e: unknown) =>
  e instanceof DecodeError && typeof e.code === 'string' ? e.code : undefined;

/** Thrown by the tx-set decoder to report a rejection whose code comes from the tx-set schema. */
class TxSetRejected extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const DECODERS: Decoder[] = [
  {
    name: 'CBOR decode',
    valid: [...envelopes.slice(0, 30), ...headers, ...receipts, ...scpEnvelopes, ...txSets.slice(0, 2)],
    run: (b) => encode(decode(b) as never),
    typed: decodeErrorCode,
  },
  {
    name: 'decodeEnvelope',
    valid: envelopes,
    run: (b) => encodeEnvelope(decodeEnvelope(b)),
    typed: decodeErrorCode,
  },
  { name: 'decodeHeader', valid: headers, run: (b) => encodeHeader(decodeHeader(b)), typed: decodeErrorCode },
  {
    name: 'decodeReceipt',
    valid: receipts,
    run: (b) => encodeReceipt(decodeReceipt(b)),
    typed: decodeErrorCode,
  },
  {
    name: 'decodeScpEnvelope',
    valid: scpEnvelopes,
    run: (b) => encodeScpEnvelope(decodeScpEnvelope(b)),
    typed: decodeErrorCode,
  },
  {
    // parseTxSet returns null on bad input and must never throw. Its catch would hide an untyped error,
    // so a rejected input is decoded again with the same schema and limits to get (and check) the error.
    name: 'parseTxSet',
    valid: txSets,
    run: (b) => {
      const parsed = app.parseTxSet(b);
      if (parsed !== null) return encode(schema.decodeWith(txSetSchema, b, TX_SET_LIMITS) as never);
      try {
        schema.decodeWith(txSetSchema, b, TX_SET_LIMITS);
      } catch (e) {
        const code = decodeErrorCode(e);
        if (code !== undefined) throw new TxSetRejected(code);
        throw e;
      }
      throw new Error('parseTxSet returned null for input the tx-set schema accepts');
    },
    typed: (e) => (e instanceof TxSetRejected ? e.code : undefined),
  },
  {
    name: 'ledger frame',
    valid: ledgerFrames,
    run: (b) => encodeArchivedLedger(decodeArchivedLedger(b, 'fuzz')),
    // Rejections are HISTORY_CORRUPT; the decode error under it says why.
    typed: (e) =>
      e instanceof HistoryError && e.code === 'HISTORY_CORRUPT'
        ? String(e.details?.decodeError ?? e.code)
        : undefined,
  },
  {
    name: 'transaction batch',
    valid: batches,
    run: (b) => encode(decodeTransactionBatch(b)),
    typed: decodeErrorCode,
  },
  {
    name: 'decodeFrame',
    valid: frames,
    run: (b) => encodeFrame(decodeFrame(b)),
    typed: (e) => (e instanceof OverlayError ? e.code : undefined),
  },
];

// --- the run ------------------------------------------------------------------------------------------

interface Tally {
  decoder: string;
  validSamples: number;
  cases: number;
  byKind: Record<CaseKind, number>;
  accepted: number;
  rejectedByCode: Record<string, number>;
  violations: { kind: string; input: string; error: string }[];
  ms: number;
}

class Violation extends Error {}

function fuzz(d: Decoder, seed: number): Tally {
  const t: Tally = {
    decoder: d.name,
    validSamples: d.valid.length,
    cases: 0,
    byKind: { 'random-bytes': 0, 'random-cbor': 0, 'byte-mutation': 0, 'value-mutation': 0, hostile: 0 },
    accepted: 0,
    rejectedByCode: {},
    violations: [],
    ms: 0,
  };
  for (const v of d.valid) {
    const again = d.run(v);
    if (again !== undefined && !sameBytes(again, v))
      throw new Error(`${d.name}: a valid sample does not round-trip`);
  }
  // Counting stops at the first violation so that fast-check's shrinking does not inflate the tallies.
  let counting = true;
  const check = (c: Case): void => {
    let reencoded: Uint8Array | undefined;
    try {
      reencoded = d.run(c.bytes);
    } catch (e) {
      const code = d.typed(e);
      if (code === undefined) {
        counting = false;
        throw new Violation(`untyped error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
      if (counting) t.rejectedByCode[code] = (t.rejectedByCode[code] ?? 0) + 1;
      return;
    }
    if (reencoded !== undefined && !sameBytes(reencoded, c.bytes)) {
      counting = false;
      throw new Violation('accepted a non-canonical encoding (re-encodes to other bytes)');
    }
    if (counting) t.accepted++;
  };
  const t0 = performance.now();
  const out = fc.check(
    fc.property(inputs(d.valid), (c) => {
      if (counting) {
        t.cases++;
        t.byKind[c.kind]++;
      }
      check(c);
    }),
    { numRuns: RUNS, seed },
  );
  t.ms = performance.now() - t0;
  if (out.failed) {
    const c = out.counterexample?.[0] as Case | undefined;
    const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    t.violations.push({ kind: c?.kind ?? '?', input: c ? hex(c.bytes) : '?', error });
    console.error(
      `VIOLATION in ${d.name} (${c?.kind}, seed ${seed}, shrunk): ${error}\n  input: ${c ? hex(c.bytes) : '?'}`,
    );
  }
  return t;
}

const started = performance.now();
const tallies = DECODERS.map((d, i) => {
  const t = fuzz(d, SEED + i);
  const rejected = Object.values(t.rejectedByCode).reduce((a, b) => a + b, 0);
  console.log(
    `${d.name}: ${t.cases} cases, ${t.accepted} accepted, ${rejected} rejected, ${t.violations.length} violations, ` +
      `${Math.round(t.ms)} ms`,
  );
  return t;
});
const totalCases = tallies.reduce((n, t) => n + t.cases, 0);
const totalViolations = tallies.reduce((n, t) => n + t.violations.length, 0);
const wallS = (performance.now() - started) / 1000;

const result = {
  benchmark: 'decoder-fuzz',
  date: new Date().toISOString(),
  command: ['npx tsx bench/decoder-fuzz.ts', ...process.argv.slice(2)].join(' '),
  machine: { cpus: os.cpus().length, node: process.version },
  seed: SEED,
  runsPerDecoder: RUNS,
  totalCases,
  totalViolations,
  decoders: tallies,
  wallSeconds: Math.round(wallS * 10) / 10,
};
writeFileSync(path.join(resultsDir, 'decoder-fuzz.json'), `${JSON.stringify(result, null, 2)}\n`);

const codes = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace(/^DECODE_/, '')} ${v}`)
    .join(', ');
const rows = tallies.map(
  (t) =>
    `| ${t.decoder} | ${t.validSamples} | ${t.cases} | ${t.accepted} | ${codes(t.rejectedByCode)} | ${t.violations.length} |`,
);
const md = `## decoder-fuzz: malformed input to every decoder (bench/decoder-fuzz.ts)

${totalCases.toLocaleString('en-US')} generated cases (fast-check, seed ${SEED}) over every decoder of untrusted input:
random bytes (2/11), random CBOR values (1/11), byte mutations of valid encodings (5/11: bit flips, byte
sets, truncation, extension, insertion, deletion, CBOR length-field edits to boundary values and
non-shortest widths), value mutations (2/11: a field or element dropped, added or replaced, re-encoded
canonically) and hostile shapes (1/11: nesting up to 5,000 deep, lengths and counts up to 2^64-1, arrays
of 30,000-70,000 items). The valid encodings come from a real history of the demo workload (envelopes, headers,
receipts with header chains and SCP statements, tx sets) plus SCP envelopes of every statement type and
frames of every type. An input must be accepted (and then re-encode to the same bytes) or rejected with
the decoder's typed error and code (DecodeError; OverlayError for frames; parseTxSet returns null, and its
input is decoded again with the same schema to check the error its catch hides).
**Violations: ${totalViolations}** (expected 0). ${os.cpus().length} cores, Node ${process.version}; whole run \
${Math.round(wallS)} s.

| decoder | valid samples | cases | accepted | rejected, by code (DECODE_ prefix dropped) | violations |
|---|---:|---:|---:|---|---:|
${rows.join('\n')}

Command: \`${result.command}\` (\`--quick\`: ${(2_000).toLocaleString('en-US')} cases per decoder; \`--seed N\` for another stream).`;
writeFileSync(path.join(resultsDir, 'decoder-fuzz.md'), `${md}\n`);
console.log(`\n${md}`);
if (totalViolations > 0) process.exit(1);
