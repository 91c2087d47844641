/**
 * `qm tx ...`: build, sign and submit transactions for the common cases, or any operations from a JSON
 * file. The network id and signature suite come from the node (GET /v1/status), so a member needs only
 * its key file and a node URL.
 *
 * The sequence number: no endpoint tells a member its next sequence, so it is `--seq N`, or the number
 * kept in `<key>.seq` beside the key file, which qm writes after each submission the node accepted.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  encodeEnvelope,
  encodeId,
  getSuite,
  isOperationType,
  OPERATION_TYPES,
  parseNsn,
  signTransaction,
  type Transaction,
  type TransactionEnvelope,
  type TxOperation,
  txHash,
} from '@qm/ledger';
import { readSecretKey } from '@qm/node';
import { type Command, Option } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { failuresOf, renderTxReport, type TxReport, type TxStatusView } from '../report/tx-report.js';
import {
  DEFAULT_NODE_URL,
  NodeApiError,
  NodeClient,
  type NodeFlags,
  reportingAsync,
  resolveNodeUrl,
} from './status.js';

export interface TxFlags extends NodeFlags {
  key: string;
  seq?: string;
  wait?: boolean;
  timeout: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** `<key>.seq`: the next sequence number of the key's member, as qm last knew it. */
export const seqFileOf = (keyFile: string) => `${keyFile}.seq`;

/** The sequence to use: --seq, else `<key>.seq`; neither is an error that says what to do. */
export function pickSequence(keyFile: string, seqFlag: string | undefined): bigint {
  const parse = (text: string, where: string): bigint => {
    const t = text.trim();
    if (!/^\d{1,19}$/.test(t) || BigInt(t) < 1n) {
      throw new CliError('BAD_ARGUMENT', `${where} must be a positive integer, got '${t}'`);
    }
    return BigInt(t);
  };
  if (seqFlag !== undefined) return parse(seqFlag, '--seq');
  const file = seqFileOf(keyFile);
  if (!existsSync(file)) {
    throw new CliError(
      'BAD_ARGUMENT',
      `no sequence number: pass --seq N (the member's next sequence; a new member's first is 1). ` +
        `After an accepted submission qm remembers the next one in ${file}`,
    );
  }
  return parse(readFileSync(file, 'utf8'), file);
}

/** Rejects what the canonical encoding cannot carry, naming the field: floats above all. */
export function checkPlainValue(v: unknown, path: string): void {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) {
      throw new CliError(
        'BAD_ARGUMENT',
        `${path}: ${v} is not an integer; the canonical encoding has no floats ` +
          '(positions are integer micro-degrees: {"latE6": 38897700, "lonE6": -77036500})',
      );
    }
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) checkPlainValue(x, `${path}[${i}]`);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) checkPlainValue(x, `${path}.${k}`);
  } else if (v === null) {
    throw new CliError('BAD_ARGUMENT', `${path}: null is not encodable; leave the field out instead`);
  }
}

/** Operations from a JSON file: an array, or {operations: [...]}, each with a text `type`. */
export function readOperationsFile(file: string): TxOperation[] {
  if (!existsSync(file)) throw new CliError('FILE_NOT_FOUND', `operations file ${file} does not exist`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError('FILE_UNREADABLE', `${file} is not JSON: ${(e as Error).message}`);
  }
  const ops = Array.isArray(doc) ? doc : (doc as { operations?: unknown } | null)?.operations;
  if (!Array.isArray(ops) || ops.length === 0) {
    throw new CliError(
      'BAD_ARGUMENT',
      `${file}: expected a non-empty array of operations (or {"operations": [...]})`,
    );
  }
  ops.forEach((op, i) => {
    if (typeof op !== 'object' || op === null || Array.isArray(op) || typeof op.type !== 'string') {
      throw new CliError('BAD_ARGUMENT', `${file}: operations[${i}] must be an object with a text "type"`);
    }
    if (!isOperationType(op.type)) {
      throw new CliError(
        'BAD_ARGUMENT',
        `${file}: operations[${i}].type '${op.type}' is not an operation (${OPERATION_TYPES.join(', ')})`,
      );
    }
    checkPlainValue(op, `operations[${i}]`);
  });
  return ops as TxOperation[];
}

/** Decimal degrees to the ledger's integer micro-degrees. */
export function toMicroDegrees(text: string, flag: string, limit: number): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || Math.abs(n) > limit) {
    throw new CliError('BAD_ARGUMENT', `${flag} must be decimal degrees within ±${limit}, got '${text}'`);
  }
  return Math.round(n * 1e6);
}

/** `--site S`, or `--lat/--lon` in decimal degrees; exactly one of the two. */
export function locationOf(flags: { site?: string; lat?: string; lon?: string }): Record<string, unknown> {
  const hasPos = flags.lat !== undefined || flags.lon !== undefined;
  if (flags.site !== undefined && hasPos)
    throw new CliError('BAD_ARGUMENT', 'pass --site or --lat/--lon, not both');
  if (flags.site !== undefined) return { site: flags.site };
  if (flags.lat === undefined || flags.lon === undefined) {
    throw new CliError(
      'BAD_ARGUMENT',
      'a location is needed: --site SITE, or --lat and --lon (decimal degrees)',
    );
  }
  return { latE6: toMicroDegrees(flags.lat, '--lat', 90), lonE6: toMicroDegrees(flags.lon, '--lon', 180) };
}

interface NodeInfo {
  nodeId: string;
  /** Absent on a node too old (or something else) at the URL. */
  network?: { id: string; suite: string };
}

export interface Submission {
  envelope: TransactionEnvelope;
  bytes: Uint8Array;
  hash: string;
}

/** Signs `operations` as the member whose key is in `keyFile`, for the network `node` runs. */
export function buildSignedTransaction(
  keyFile: string,
  info: NodeInfo,
  seq: bigint,
  operations: readonly TxOperation[],
): Submission {
  const id = info.network?.id;
  if (typeof id !== 'string' || !/^[0-9a-f]{64}$/i.test(id)) {
    throw new NodeApiError('NODE_BAD_RESPONSE', `/v1/status gave no network id (64 hex digits): got '${id}'`);
  }
  const seed = readSecretKey(keyFile);
  const suiteName = info.network?.suite ?? '';
  let suite: ReturnType<typeof getSuite>;
  try {
    suite = getSuite(suiteName);
  } catch {
    throw new NodeApiError('NODE_BAD_RESPONSE', `the node's signature suite '${suiteName}' is unknown here`);
  }
  const keys = suite.generateKeyPair(seed);
  const tx: Transaction = {
    networkId: new Uint8Array(Buffer.from(id, 'hex')),
    source: keys.publicKey,
    seq,
    // No time bounds: the sequence number already prevents replay, and a queued tx stays valid.
    timeBounds: { minTime: 0, maxTime: 0 },
    operations,
  };
  const envelope: TransactionEnvelope = { ...tx, signatures: [signTransaction(tx, suite, keys.privateKey)] };
  return { envelope, bytes: encodeEnvelope(envelope), hash: hex(txHash(tx)) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the transaction until it is in a ledger (committed or failed) or `timeoutMs` passes. */
export async function waitForResult(
  client: NodeClient,
  hash: string,
  timeoutMs: number,
  pollMs = 200,
): Promise<TxStatusView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // 404 right after acceptance is possible on another node or after an eviction: keep asking.
    const view = await client.find<TxStatusView>(`/v1/transactions/${hash}`);
    if (view !== null && (view.status === 'committed' || view.status === 'failed')) return view;
    if (Date.now() >= deadline) {
      throw new NodeApiError(
        'TX_WAIT_TIMEOUT',
        `transaction ${hash} is ${view?.status ?? 'unknown to the node'} after ${timeoutMs / 1000} s; ` +
          `ask again with GET /v1/transactions/${hash}`,
      );
    }
    await sleep(pollMs);
  }
}

/** Builds, signs, submits and (with --wait) follows one transaction; the exit code of the command. */
export async function submitOperations(
  flags: TxFlags,
  operations: readonly TxOperation[],
  io: CliIo,
  pollMs = 200,
): Promise<number> {
  const timeoutS = Number(flags.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new CliError(
      'BAD_ARGUMENT',
      `--timeout must be a positive number of seconds, got '${flags.timeout}'`,
    );
  }
  const seq = pickSequence(flags.key, flags.seq);
  const client = new NodeClient(resolveNodeUrl(flags));
  const info = await client.get<NodeInfo>('/v1/status');
  const sub = buildSignedTransaction(flags.key, info, seq, operations);
  const { status, body } = await client.postBytes('/v1/transactions', sub.bytes);
  if (status !== 202) {
    const b = (body ?? {}) as { code?: string; message?: string };
    const code = b.code ?? (status === 400 ? 'TX_REJECTED' : 'NODE_ERROR');
    let message = `the node rejected the transaction: ${b.message ?? `HTTP ${status}`}`;
    const next = /next is (\d+)/.exec(b.message ?? '');
    if (code === 'TX_BAD_SEQ' && next) message += `; retry with --seq ${next[1]}`;
    throw new NodeApiError(code, message, status);
  }
  // Accepted into the queue: the source's next transaction takes the next number (the node admits
  // several queued sequences per source), so record it now rather than only after --wait.
  writeFileSync(seqFileOf(flags.key), `${seq + 1n}\n`);
  const report: TxReport = {
    hash: sub.hash,
    source: encodeId('member', sub.envelope.source),
    seq: seq.toString(),
    operations: operations.map((o) => o.type),
    status: 'pending',
  };
  if (flags.wait) {
    const view = await waitForResult(client, sub.hash, timeoutS * 1000, pollMs);
    report.status = view.status;
    if (view.ledger !== undefined) report.ledger = view.ledger;
    if (view.result?.code !== undefined) report.resultCode = view.result.code;
    const failures = failuresOf(view);
    if (failures.length > 0) report.failures = failures;
    // Only an applied transaction (TX_SUCCESS, TX_FAILED) consumes its sequence number; a rejected one
    // leaves it free, so hand it back.
    if (report.resultCode !== 'TX_SUCCESS' && report.resultCode !== 'TX_FAILED') {
      writeFileSync(seqFileOf(flags.key), `${seq}\n`);
    }
  }
  if (flags.json) io.out(`${JSON.stringify({ ok: report.status !== 'failed', ...report }, null, 2)}\n`);
  else io.out(renderTxReport(report));
  return report.status === 'failed' ? 1 : 0;
}

function txCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .requiredOption('--key <file>', "the signing member's key file ('S...' secret)")
    .option('--seq <n>', 'sequence number (default: the one kept in <key>.seq)')
    .option('--node <url>', `validator API URL (default ${DEFAULT_NODE_URL})`)
    .option('--config <file>', "read the API address from a node's config")
    .option('--wait', 'wait until the transaction is in a ledger and print its result code')
    .option('--timeout <seconds>', 'how long --wait waits', '30')
    .option('--json', 'machine-readable output');
}

const upper = (s: string) => s.toUpperCase();

/** `qm tx define-class | register-item | offer | accept | move | submit`. */
export function registerTxCommands(program: Command, io: CliIo): void {
  const tx = program
    .command('tx')
    .description('sign and submit transactions (the network id comes from the node)');
  const send = (flags: TxFlags, build: () => Promise<TxOperation[]> | TxOperation[]) =>
    reportingAsync(io, flags.json, async () => submitOperations(flags, await build(), io));

  txCommand(tx, 'define-class', 'define an item class (catalog entry) by NSN')
    .requiredOption('--nsn <nsn>', 'national stock number, 13 digits or 1234-56-789-0123')
    .requiredOption('--nomenclature <text>', 'item name')
    .option('--unit <code>', 'unit of issue (2 letters)', 'EA')
    .addOption(
      new Option('--tracking <mode>', 'per item or by quantity')
        .choices(['serialized', 'bulk'])
        .default('serialized'),
    )
    .action((f: TxFlags & { nsn: string; nomenclature: string; unit: string; tracking: string }) =>
      send(f, () => {
        const nsn = parseNsn(f.nsn);
        if (!nsn.ok) throw new CliError('BAD_ARGUMENT', `--nsn: ${nsn.message}`);
        return [
          {
            type: 'defineItemClass',
            nsn: nsn.value.nsn,
            nomenclature: f.nomenclature,
            unitOfIssue: upper(f.unit),
            tracking: f.tracking,
          },
        ];
      }),
    );

  txCommand(tx, 'register-item', 'register a serialized item (its UII) at a site or position')
    .requiredOption('--uii <uii>', 'unique item identifier')
    .requiredOption('--nsn <nsn>', 'its item class')
    .requiredOption('--serial <serial>', 'serial number')
    .requiredOption('--cage <cage>', "manufacturer's CAGE code")
    .option('--part-number <pn>', 'original part number, when marked')
    .option('--condition <code>', 'supply condition code', 'A')
    .option('--site <site>', 'site id')
    .option('--lat <deg>', 'latitude, decimal degrees (stored as integer micro-degrees)')
    .option('--lon <deg>', 'longitude, decimal degrees')
    .action(
      (
        f: TxFlags & {
          uii: string;
          nsn: string;
          serial: string;
          cage: string;
          partNumber?: string;
          condition: string;
          site?: string;
          lat?: string;
          lon?: string;
        },
      ) =>
        send(f, () => [
          {
            type: 'registerItem',
            uii: upper(f.uii),
            nsn: f.nsn.replaceAll('-', ''),
            serial: f.serial,
            cage: upper(f.cage),
            ...(f.partNumber !== undefined && { partNumber: f.partNumber }),
            condition: upper(f.condition),
            location: locationOf(f),
          },
        ]),
    );

  txCommand(tx, 'offer', 'offer custody of an item to another organization')
    .requiredOption('--uii <uii>', 'the item')
    .requiredOption('--to <org>', 'receiving organization id')
    .option('--ownership', 'ownership moves too on accept')
    .action((f: TxFlags & { uii: string; to: string; ownership?: boolean }) =>
      send(f, () => [
        {
          type: 'offerCustody',
          uii: upper(f.uii),
          to: f.to,
          ...(f.ownership === true && { ownership: true }),
        },
      ]),
    );

  txCommand(tx, 'accept', "accept custody of an item (default: the item's pending offer)")
    .requiredOption('--uii <uii>', 'the item')
    .option('--offer <id>', 'offer id (default: read from the item on the node)')
    .action((f: TxFlags & { uii: string; offer?: string }) =>
      send(f, async () => {
        const uii = upper(f.uii);
        let offerId = f.offer;
        if (offerId === undefined) {
          const found = await new NodeClient(resolveNodeUrl(f)).find<{ item?: { pendingOffer?: string } }>(
            `/v1/items/${encodeURIComponent(uii)}`,
          );
          if (found === null) throw new NodeApiError('ITEM_UNKNOWN', `the node knows no item ${uii}`, 404);
          offerId = found.item?.pendingOffer;
          if (offerId === undefined) {
            throw new NodeApiError('OFFER_NOT_FOUND', `item ${uii} has no pending custody offer`);
          }
        }
        return [{ type: 'acceptCustody', uii, offerId }];
      }),
    );

  txCommand(tx, 'move', 'record that an item moved to a site or position')
    .requiredOption('--uii <uii>', 'the item')
    .option('--site <site>', 'site id')
    .option('--lat <deg>', 'latitude, decimal degrees')
    .option('--lon <deg>', 'longitude, decimal degrees')
    .action((f: TxFlags & { uii: string; site?: string; lat?: string; lon?: string }) =>
      send(f, () => [{ type: 'moveItem', uii: upper(f.uii), location: locationOf(f) }]),
    );

  txCommand(tx, 'submit', 'submit any operations from a JSON file (field names as in docs/domain.md)')
    .requiredOption('--ops <file>', 'JSON: an array of operations, or {"operations": [...]}')
    .action((f: TxFlags & { ops: string }) => send(f, () => readOperationsFile(f.ops)));
}
