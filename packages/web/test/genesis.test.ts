import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenesisFormatError, networkIdFromGenesis } from '../src/genesis';

const genesis = {
  name: 'qm-devnet',
  suite: 'ed25519',
  time: 1795000000,
  organizations: [
    { code: 'W56HZV', name: '1st Supply Depot' },
    { code: 'FA4890', name: 'Air Wing 3', parent: 'W56HZV' },
  ],
  members: [{ id: 'MABC', org: 'W56HZV', roles: ['admin', 'supply'] }],
  validators: [
    {
      id: 'NAAA',
      org: 'W56HZV',
      quorumSet: {
        threshold: 1,
        validators: ['NAAA'],
        innerSets: [{ threshold: 1, validators: ['NBBB'], innerSets: [] }],
      },
    },
  ],
  params: { maxTxPerLedger: 500 },
};

describe('network id from a genesis file', () => {
  // A node genesis file written by `qm network init` (format qm-genesis/1), and the id that
  // packages/node's genesisDescription + @qm/ledger's networkIdOf give for it.
  it('reads the node genesis file format too', async () => {
    const file = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'qm-genesis.json'), 'utf8'));
    expect(await networkIdFromGenesis(file)).toBe(
      '853eb8dee09aefecbb6f836cc6d5e9060533d8a9d84d8ea93aa8277164ad7464',
    );
  });

  // The id @qm/ledger's networkIdOf gives for this description.
  it('matches the ledger package', async () => {
    expect(await networkIdFromGenesis(genesis)).toBe(
      '335386cb3faab6c09743c3acb337695dd332b8fc7e9b4017f2783d9f583eabe9',
    );
  });
  it('does not depend on key order or extra whitespace in the file', async () => {
    const reordered = JSON.parse(JSON.stringify({ ...genesis, name: genesis.name }, null, 2));
    const { validators, ...rest } = reordered;
    expect(await networkIdFromGenesis({ validators, ...rest })).toBe(await networkIdFromGenesis(genesis));
  });
  it('names a bad field', async () => {
    await expect(networkIdFromGenesis({ ...genesis, time: -1 })).rejects.toThrow(GenesisFormatError);
    await expect(networkIdFromGenesis({ ...genesis, validators: [{ id: 'N', org: 'X' }] })).rejects.toThrow(
      /validators\[0\]\.quorumSet/,
    );
  });
});
