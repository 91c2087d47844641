import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Frame,
  FrameType,
  Libp2pTransport,
  transportPublicKeyFromSeed,
} from '../../src/overlay/index.js';
import { waitFor } from './helpers.js';

const seed = (n: number) => new Uint8Array(32).fill(n);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('Libp2pTransport across processes', () => {
  let child: ChildProcess | null = null;
  let local: Libp2pTransport | null = null;

  afterAll(async () => {
    child?.kill('SIGKILL');
    await local?.stop();
  });

  it('exchanges frames with a node in a child process, bulk and in order', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const peers = [
      {
        nodeId: 'a',
        transportPublicKey: await transportPublicKeyFromSeed(seed(11)),
        address: `127.0.0.1:${portA}`,
      },
      {
        nodeId: 'b',
        transportPublicKey: await transportPublicKeyFromSeed(seed(12)),
        address: `127.0.0.1:${portB}`,
      },
    ];
    const childConfig = {
      nodeId: 'b',
      seedHex: hex(seed(12)),
      listen: `127.0.0.1:${portB}`,
      peers: peers.map((p) => ({ nodeId: p.nodeId, keyHex: hex(p.transportPublicKey), address: p.address })),
    };
    const script = fileURLToPath(new URL('./fixtures/echo-node.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(childConfig)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));

    local = new Libp2pTransport({
      nodeId: 'a',
      transportSeed: seed(11),
      listen: `127.0.0.1:${portA}`,
      peers,
      redialInitialMs: 50,
      redialMaxMs: 300,
    });
    const echoes: Frame[] = [];
    local.onFrame((from, frame) => from === 'b' && echoes.push(frame));
    const changes: string[] = [];
    local.onPeerChange((peer, up) => changes.push(`${peer}:${up}`));
    await local.start();
    await waitFor(() => out.includes('ready'), 'child ready', 15_000);
    await waitFor(() => local!.connectedPeers().includes('b'), 'a connected to b', 15_000);
    await waitFor(() => out.includes('up:a'), 'b connected to a (links are per direction)', 15_000);

    // Enough transactions to fill libp2p's write buffer: exercises the drain path and the queue.
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) {
      const payload = new Uint8Array(200);
      new DataView(payload.buffer).setUint32(0, i);
      if (local.send('b', { type: FrameType.tx, payload })) accepted++;
    }
    expect(accepted).toBe(5_000);
    await waitFor(() => echoes.length === accepted, 'all echoes back', 15_000);
    const order = echoes.map((f) => new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0));
    expect(order).toEqual(Array.from({ length: 5_000 }, (_, i) => i));

    proc.kill('SIGKILL');
    await waitFor(() => !local!.connectedPeers().includes('b'), 'a sees the child die', 15_000);
    expect(changes).toEqual(['b:true', 'b:false']);
  });
});
