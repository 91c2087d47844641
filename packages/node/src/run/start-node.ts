// Starts one validator process from its node config: stores in the data directory, the libp2p overlay,
// consensus, the public HTTP API (with the dashboard when built) and the loopback-only admin API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApi } from '../api/server.js';
import { consensusTiming, deriveTransportSeed, genesisDescription, loadNodeSetup } from '../config/index.js';
import { SqliteScpStateStore } from '../herder/scp-state-store.js';
import { Libp2pTransport } from '../overlay/libp2p-transport.js';
import { SqliteLedgerStore } from '../store/index.js';
import { Validator } from '../validator.js';
import { jsonLogger, type Logger } from './logger.js';

export interface StartedNode {
  readonly validator: Validator;
  readonly name: string;
  readonly httpUrl: string;
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** A built dashboard to serve at `/` (packages/web/dist). */
  readonly dashboardDir?: string;
  readonly logger?: Logger;
}

export async function startNode(configFile: string, opts: StartOptions = {}): Promise<StartedNode> {
  const { config, genesis, seed, identity } = loadNodeSetup(configFile);
  const name = identity.validator.name;
  const logger = opts.logger ?? jsonLogger(name, config.log?.level === 'debug' ? 'debug' : 'info');
  const log = (level: 'info' | 'warn' | 'error', msg: string, data?: object) => logger.log(level, msg, data);

  mkdirSync(config.dataDir, { recursive: true });
  const store = new SqliteLedgerStore(join(config.dataDir, 'ledger.sqlite'));
  const scpState = new SqliteScpStateStore(join(config.dataDir, 'scp-state.sqlite'));
  const transport = new Libp2pTransport({
    nodeId: identity.validator.nodeId,
    transportSeed: deriveTransportSeed(seed),
    listen: `${config.p2p.host}:${config.p2p.port}`,
    peers: genesis.validators.map((v) => ({
      nodeId: v.nodeId,
      transportPublicKey: new Uint8Array(Buffer.from(v.transportPublicKey, 'hex')),
      address: `${v.p2p.host}:${v.p2p.port}`,
    })),
    logger: { info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f) },
  });
  const timing = consensusTiming(genesis);
  const validator = new Validator({
    genesis: genesisDescription(genesis),
    seed,
    store,
    scpState,
    transport,
    herder: {
      targetCloseMs: timing.targetCloseMs,
      timeouts: {
        nominationRoundMs: timing.nominationRoundMs,
        ballotRoundMs: timing.ballotRoundMs,
        maxTimeoutMs: 30 * 60_000,
      },
    },
    // Each validator publishes history checkpoints in its data directory (docs/history.md).
    historyArchiveDir: join(config.dataDir, 'history'),
    directory: genesis.validators.map((v) => ({
      id: v.nodeId,
      name: v.name,
      http: `http://${v.http.host}:${v.http.port}`,
    })),
    log,
  });
  await validator.start();
  const api = await buildApi(validator, opts.dashboardDir ? { dashboardDir: opts.dashboardDir } : {});
  const httpUrl = await api.listen({ host: config.http.host, port: config.http.port });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      log('info', 'stopping');
      await api.close();
      await admin.close();
      await validator.stop();
      store.close();
      scpState.close();
    })();
    return stopping;
  };
  const admin = buildAdmin(validator, stop);
  const adminUrl = await admin.listen({ host: config.admin.host, port: config.admin.port });
  log('info', 'validator started', {
    nodeId: validator.nodeId,
    ledger: store.lastClosed()?.sequence,
    http: httpUrl,
    admin: adminUrl,
  });
  return { validator, name, httpUrl, adminUrl, stop };
}

/** Operator actions, bound to the loopback interface only (the node config enforces the address). */
function buildAdmin(validator: Validator, stop: () => Promise<void>): FastifyInstance {
  const admin = Fastify({ logger: false });
  admin.get('/admin/health', async () => validator.health());
  admin.post('/admin/stop', async () => {
    setImmediate(() => void stop().then(() => process.exit(0)));
    return { stopping: true };
  });
  return admin;
}
