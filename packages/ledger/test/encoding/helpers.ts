import { expect } from 'vitest';
import { LedgerError } from '../../src/errors.js';

export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs `fn` and asserts it throws a LedgerError (or subclass `cls`) with the given code. */
export function expectCode(fn: () => unknown, code: string, cls: typeof LedgerError = LedgerError): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(cls);
  expect((thrown as LedgerError).code).toBe(code);
}
