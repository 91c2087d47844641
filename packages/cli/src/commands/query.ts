/**
 * Read-only queries of a validator's API: `qm item UII`, `qm stock --nsn`, `qm alerts`, and
 * `qm receipt get HASH --out FILE` (the JSON `qm receipt verify` checks offline).
 */
import { writeFileSync } from 'node:fs';
import { ALERT_KINDS, parseNsn } from '@qm/ledger';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import {
  DEFAULT_NODE_URL,
  groupCommand,
  NodeApiError,
  NodeClient,
  type NodeFlags,
  reportingAsync,
  resolveNodeUrl,
} from './status.js';

interface ItemView {
  item: {
    uii: string;
    nsn?: string;
    serial?: string;
    cage?: string;
    condition?: string;
    location?: { site?: string; latE6?: number; lonE6?: number };
    owner?: string;
    custodian?: string;
    status?: string;
    pendingOffer?: string;
    children?: string[];
  };
  history?: { ledgerSeq: number; txHash: string; event: { type?: string; [k: string]: unknown } }[];
}

interface StockView {
  nsn: string;
  site: string;
  lot: string;
  condition: string;
  quantity: number;
}

interface AlertView {
  id: number;
  kind: string;
  ledgerSeq: number;
  closeTime?: number;
  subject?: string;
  details?: Record<string, string | number | boolean>;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Micro-degrees back to decimal degrees, for reading only. */
const degrees = (e6: number) => (e6 / 1e6).toFixed(6);

function where(loc: ItemView['item']['location']): string {
  if (!loc) return '-';
  if (loc.site !== undefined) return `site ${loc.site}`;
  if (loc.latE6 !== undefined && loc.lonE6 !== undefined)
    return `${degrees(loc.latE6)}, ${degrees(loc.lonE6)}`;
  return JSON.stringify(loc);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r) =>
        `  ${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export async function itemCommand(uii: string, flags: NodeFlags, io: CliIo): Promise<number> {
  const id = uii.toUpperCase();
  const found = await new NodeClient(resolveNodeUrl(flags)).find<ItemView>(
    `/v1/items/${encodeURIComponent(id)}`,
  );
  if (found === null) throw new NodeApiError('ITEM_UNKNOWN', `no item ${id} on the ledger`, 404);
  if (flags.json) {
    io.out(json(found));
    return 0;
  }
  const it = found.item;
  const field = (label: string, v: string | undefined) =>
    v === undefined ? '' : `${label.padEnd(12)}${v}\n`;
  let out = field('item', it.uii);
  out += field('nsn', it.nsn);
  out += field('serial', it.serial);
  out += field('cage', it.cage);
  out += field('status', it.status);
  out += field('condition', it.condition);
  out += field('location', where(it.location));
  out += field('owner', it.owner);
  out += field('custodian', it.custodian);
  out += field('offer', it.pendingOffer === undefined ? undefined : `${it.pendingOffer} (pending)`);
  if (it.children && it.children.length > 0) out += field('components', it.children.join(', '));
  const history = found.history ?? [];
  if (history.length > 0) {
    out += `history (${history.length}):\n`;
    out += table([
      ['ledger', 'event', 'tx'],
      ...history.map((h) => [`#${h.ledgerSeq}`, String(h.event?.type ?? '?'), `${h.txHash.slice(0, 16)}…`]),
    ]);
  }
  io.out(out);
  return 0;
}

export async function stockCommand(
  flags: NodeFlags & { nsn: string; site?: string },
  io: CliIo,
): Promise<number> {
  const nsn = parseNsn(flags.nsn);
  if (!nsn.ok) throw new CliError('BAD_ARGUMENT', `--nsn: ${nsn.message}`);
  const q = new URLSearchParams({ nsn: nsn.value.nsn });
  if (flags.site !== undefined) q.set('location', flags.site);
  const rows = await new NodeClient(resolveNodeUrl(flags)).get<StockView[]>(`/v1/stock?${q}`);
  if (flags.json) {
    io.out(json(rows));
    return 0;
  }
  const scope = flags.site === undefined ? '' : ` at ${flags.site}`;
  if (rows.length === 0) {
    io.out(`no stock of ${nsn.value.nsn}${scope}\n`);
    return 0;
  }
  const total = rows.reduce((n, r) => n + r.quantity, 0);
  io.out(`stock of ${nsn.value.nsn}${scope}: ${total} in ${rows.length} record(s)\n`);
  io.out(
    table([
      ['site', 'lot', 'condition', 'quantity'],
      ...rows.map((r) => [r.site, r.lot === '' ? '-' : r.lot, r.condition, String(r.quantity)]),
    ]),
  );
  return 0;
}

export async function alertsCommand(
  flags: NodeFlags & { kind?: string; limit: string },
  io: CliIo,
): Promise<number> {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new CliError('BAD_ARGUMENT', `--limit must be an integer from 1 to 500, got '${flags.limit}'`);
  }
  if (flags.kind !== undefined && !(ALERT_KINDS as readonly string[]).includes(flags.kind)) {
    throw new CliError(
      'BAD_ARGUMENT',
      `--kind must be one of ${ALERT_KINDS.join(', ')}; got '${flags.kind}'`,
    );
  }
  const q = new URLSearchParams({ limit: String(limit) });
  if (flags.kind !== undefined) q.set('kind', flags.kind);
  const alerts = await new NodeClient(resolveNodeUrl(flags)).get<AlertView[]>(`/v1/alerts?${q}`);
  if (flags.json) {
    io.out(json(alerts));
    return 0;
  }
  if (alerts.length === 0) {
    io.out(`no alerts${flags.kind === undefined ? '' : ` of kind ${flags.kind}`}\n`);
    return 0;
  }
  io.out(
    table([
      ['id', 'ledger', 'kind', 'subject', 'detail'],
      ...alerts.map((a) => [
        String(a.id),
        `#${a.ledgerSeq}`,
        a.kind,
        String(a.subject ?? ''),
        Object.entries(a.details ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      ]),
    ]),
  );
  return 0;
}

export async function receiptGetCommand(
  hash: string,
  flags: NodeFlags & { out: string },
  io: CliIo,
): Promise<number> {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) {
    throw new CliError('BAD_ARGUMENT', `a transaction hash is 64 hex digits, got '${hash}'`);
  }
  const h = hash.toLowerCase();
  const receipt = await new NodeClient(resolveNodeUrl(flags)).find<{ ledger?: number }>(`/v1/receipts/${h}`);
  if (receipt === null) {
    throw new NodeApiError(
      'RECEIPT_UNAVAILABLE',
      `transaction ${h} is not in a ledger (yet?) on this node`,
      404,
    );
  }
  writeFileSync(flags.out, json(receipt));
  if (flags.json) io.out(json({ ok: true, hash: h, ledger: receipt.ledger ?? null, file: flags.out }));
  else {
    io.out(`receipt of ${h} (ledger #${receipt.ledger ?? '?'}) saved to ${flags.out}\n`);
    io.out(`verify it offline: qm receipt verify ${flags.out} --genesis genesis.json\n`);
  }
  return 0;
}

function queryCommand(cmd: Command): Command {
  return cmd
    .option('--node <url>', `validator API URL (default ${DEFAULT_NODE_URL})`)
    .option('--config <file>', "read the API address from a node's config")
    .option('--json', 'machine-readable output');
}

/**
 * `qm item`, `qm stock`, `qm alerts` and `qm receipt get`. Register after receipt.ts so that `get`
 * joins the existing `receipt` group beside `verify`.
 */
export function registerQueryCommands(program: Command, io: CliIo): void {
  queryCommand(
    program.command('item').description('an item (by UII): where it is, who holds it, its history'),
  )
    .argument('<uii>', 'unique item identifier')
    .action((uii: string, f: NodeFlags) => reportingAsync(io, f.json, () => itemCommand(uii, f, io)));

  queryCommand(
    program.command('stock').description('bulk stock of an item class, by site, lot and condition'),
  )
    .requiredOption('--nsn <nsn>', 'national stock number')
    .option('--site <site>', 'only this site')
    .action((f: NodeFlags & { nsn: string; site?: string }) =>
      reportingAsync(io, f.json, () => stockCommand(f, io)),
    );

  queryCommand(
    program
      .command('alerts')
      .description('alerts the ledger raised (counterfeit suspects, life limits, ...)'),
  )
    .option('--kind <kind>', `only this kind: ${ALERT_KINDS.join(', ')}`)
    .option('--limit <n>', 'at most this many', '100')
    .action((f: NodeFlags & { kind?: string; limit: string }) =>
      reportingAsync(io, f.json, () => alertsCommand(f, io)),
    );

  queryCommand(
    groupCommand(program, 'receipt', 'transaction receipts')
      .command('get')
      .description("fetch a transaction's receipt (JSON) from a validator, to verify offline"),
  )
    .argument('<hash>', 'transaction hash (64 hex digits)')
    .requiredOption('--out <file>', 'write the receipt JSON here')
    .action((hash: string, f: NodeFlags & { out: string }) =>
      reportingAsync(io, f.json, () => receiptGetCommand(hash, f, io)),
    );
}
