// The link proxy the fire harness puts on every overlay link: forwards both ways, cuts (existing
// connections dropped, new ones refused), slows without reordering, heals.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkProxy } from '../../src/fire/index.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

/** An echo server on a free port. */
async function echo(): Promise<Server> {
  const s = createServer((sock) => sock.pipe(sock));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  opened.push({ close: () => new Promise((r) => s.close(r)) });
  return s;
}

async function proxyTo(s: Server): Promise<LinkProxy> {
  const port = (s.address() as { port: number }).port;
  const p = await LinkProxy.start({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port });
  opened.push(p);
  return p;
}

function connect(p: LinkProxy): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ host: '127.0.0.1', port: p.port }, () => resolve(s));
    s.once('error', reject);
    opened.push({ close: () => s.destroy() });
  });
}

/** Reads until `n` bytes arrived (or the socket closed), with the arrival order kept. */
function readBytes(s: Socket, n: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const got: Buffer[] = [];
    let len = 0;
    const done = () => resolve(Buffer.concat(got));
    s.on('data', (b: Buffer) => {
      got.push(b);
      len += b.length;
      if (len >= n) done();
    });
    s.once('close', done);
  });
}

describe('LinkProxy', () => {
  it('forwards both ways while open', async () => {
    const p = await proxyTo(await echo());
    const s = await connect(p);
    const reply = readBytes(s, 5);
    s.write('hello');
    expect((await reply).toString()).toBe('hello');
    expect(p.accepted).toBe(1);
  });

  it('cut drops live connections and refuses new ones; heal lets them through again', async () => {
    const p = await proxyTo(await echo());
    const s = await connect(p);
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    p.cut();
    await closed;
    const refused = await connect(p).then(
      (sock) => new Promise<boolean>((r) => sock.once('close', () => r(true))),
      () => true,
    );
    expect(refused).toBe(true);
    expect(p.refused).toBe(1);
    p.heal();
    const again = await connect(p);
    const reply = readBytes(again, 2);
    again.write('ok');
    expect((await reply).toString()).toBe('ok');
  });

  it('slow holds every chunk and keeps the stream in order, also when the delay drops', async () => {
    const p = await proxyTo(await echo());
    const s = await connect(p);
    p.slow(150);
    const parts = Array.from({ length: 20 }, (_, k) => `<${k}>`);
    const want = parts.join('');
    const reply = readBytes(s, want.length);
    const t0 = performance.now();
    for (const [k, x] of parts.entries()) {
      if (k === 10) p.slow(0); // later chunks must still wait behind the held ones
      s.write(x);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect((await reply).toString()).toBe(want);
    // Held at least once on the way (the documented delay, a lower bound only).
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
    expect(() => p.slow(-1)).toThrow(RangeError);
  });
});
