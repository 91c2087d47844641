import { existsSync, readFileSync } from 'node:fs';
import { genesisDescription, loadGenesis, verifyReceiptOffline } from '@qm/node';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import type { CliIo } from '../io.js';
import { reportingErrors } from './keys.js';

/** A receipt file: the binary receipt, or the JSON a validator serves at /v1/receipts/:hash. */
export function readReceiptFile(file: string): Uint8Array {
  if (!existsSync(file)) throw new CliError('FILE_NOT_FOUND', `receipt ${file} does not exist`);
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes[0] !== 0x7b) return bytes; // not '{': the binary form
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CliError('RECEIPT_UNREADABLE', `${file} is neither a binary receipt nor JSON`);
  }
  const hex = (doc as { receipt?: unknown }).receipt;
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})+$/.test(hex)) {
    throw new CliError('RECEIPT_UNREADABLE', `${file}: expected a "receipt" field of hex bytes`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** `qm receipt verify FILE --genesis FILE`: offline verification, nothing but the genesis trusted. */
export function registerReceiptCommands(program: Command, io: CliIo): void {
  program
    .command('receipt')
    .description('transaction receipts')
    .command('verify')
    .description('verify a receipt offline against the network genesis')
    .argument('<file>', 'receipt: binary, or the JSON of GET /v1/receipts/:hash')
    .requiredOption('--genesis <file>', 'the network genesis file (qm-genesis/1)')
    .option('--json', 'machine-readable result')
    .action((file: string, flags: { genesis: string; json?: boolean }) => {
      reportingErrors(io, flags.json, () => {
        const receipt = readReceiptFile(file);
        const result = verifyReceiptOffline(receipt, genesisDescription(loadGenesis(flags.genesis)));
        if (flags.json) {
          io.out(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          io.out(result.ok ? 'receipt VERIFIED\n' : `receipt REJECTED: ${result.code} at ${result.step}\n`);
          for (const step of result.steps) io.out(`  - ${step}\n`);
          if (result.ok) io.out(`anchored by: ${result.anchoredBy.join(', ')}\n`);
        }
        return result.ok ? 0 : 1;
      });
    });
}
