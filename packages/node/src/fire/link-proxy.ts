/**
 * A TCP proxy for one directed overlay link (validator i dials validator j through it), so the fire
 * harness can cut or slow that link between real processes. A validator sends its frames only on the
 * connection it dialed (overlay/libp2p-transport.ts), so the proxy i->j carries exactly what i says to j
 * (and the handshake and flow-control bytes j answers on that connection).
 *
 * - open: bytes are forwarded as they come;
 * - cut: existing connections are destroyed and new ones are accepted and dropped at once (the dialer
 *   sees a reset and redials with its backoff), as a firewall rule that rejects would do;
 * - slow(ms): every chunk is held `ms` before it is forwarded, in both directions, order preserved.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Endpoint } from '../config/reader.js';

export type LinkMode = { kind: 'open' } | { kind: 'cut' } | { kind: 'slow'; delayMs: number };

export class LinkProxy {
  #mode: LinkMode = { kind: 'open' };
  readonly #server: Server;
  readonly #pairs = new Set<{ a: Socket; b: Socket }>();
  /** Connections accepted and forwarded since the start (for tests and the history). */
  accepted = 0;
  /** Connections refused while cut. */
  refused = 0;

  private constructor(
    readonly listen: Endpoint,
    readonly target: Endpoint,
  ) {
    this.#server = createServer((client) => this.#accept(client));
  }

  /** Starts a proxy listening at `listen` (port 0: any free port) that forwards to `target`. */
  static async start(listen: Endpoint, target: Endpoint): Promise<LinkProxy> {
    const p = new LinkProxy(listen, target);
    await new Promise<void>((resolve, reject) => {
      p.#server.once('error', reject);
      p.#server.listen(listen.port, listen.host, () => {
        p.#server.off('error', reject);
        resolve();
      });
    });
    return p;
  }

  /** The port actually bound (differs from listen.port when that was 0). */
  get port(): number {
    const a = this.#server.address();
    return typeof a === 'object' && a !== null ? a.port : this.listen.port;
  }

  get mode(): LinkMode {
    return this.#mode;
  }

  /** Open connections through the proxy. */
  get connections(): number {
    return this.#pairs.size;
  }

  cut(): void {
    this.#mode = { kind: 'cut' };
    for (const p of this.#pairs) {
      p.a.destroy();
      p.b.destroy();
    }
    this.#pairs.clear();
  }

  /** Holds every chunk `delayMs` (from now on; chunks already held keep their place in line). */
  slow(delayMs: number): void {
    if (!Number.isInteger(delayMs) || delayMs < 0) throw new RangeError(`bad delay ${delayMs}`);
    this.#mode = delayMs === 0 ? { kind: 'open' } : { kind: 'slow', delayMs };
  }

  heal(): void {
    this.#mode = { kind: 'open' };
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    if (this.#mode.kind === 'cut') {
      this.refused++;
      client.destroy();
      return;
    }
    this.accepted++;
    const upstream = createConnection({ host: this.target.host, port: this.target.port });
    const pair = { a: client, b: upstream };
    this.#pairs.add(pair);
    const end = () => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      s.on('error', end);
      s.on('close', end);
    }
    this.#pipe(client, upstream);
    this.#pipe(upstream, client);
  }

  /** Forwards `from` to `to`, each chunk no earlier than the delay in force when it arrived, in order. */
  #pipe(from: Socket, to: Socket): void {
    // One queue and one timer per direction: chunks leave strictly in arrival order.
    const held: { at: number; chunk: Buffer | null }[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const drain = () => {
      timer = null;
      const now = performance.now();
      while (held.length > 0 && held[0]!.at <= now) {
        const { chunk } = held.shift()!;
        if (to.destroyed) continue;
        if (chunk === null) to.end();
        else to.write(chunk);
      }
      if (held.length > 0) timer = setTimeout(drain, Math.max(1, Math.ceil(held[0]!.at - now)));
    };
    const push = (chunk: Buffer | null) => {
      const delayMs = this.#mode.kind === 'slow' ? this.#mode.delayMs : 0;
      if (delayMs === 0 && held.length === 0) {
        if (chunk === null) to.end();
        else to.write(chunk);
        return;
      }
      // Never before a chunk already held: a delay that shrinks (heal) must not reorder the stream.
      const at = Math.max(performance.now() + delayMs, held.at(-1)?.at ?? 0);
      held.push({ at, chunk });
      timer ??= setTimeout(drain, Math.max(1, Math.ceil(held[0]!.at - performance.now())));
    };
    from.on('data', (chunk: Buffer) => push(chunk));
    // Half-close after everything held has gone out.
    from.on('end', () => push(null));
    to.once('close', () => {
      if (timer) clearTimeout(timer);
      held.length = 0;
    });
  }
}
