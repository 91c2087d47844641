// Starts one validator process from its node config: stores in the data directory, the libp2p overlay,
// consensus, the public HTTP API (with the dashboard when built) and the loopback-only admin API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { buildApi } from '../api/server.js';
import {
  ConfigError,
  consensusTiming,
  deriveTransportSeed,
  type Genesis,
  genesisDescription,
  loadNodeSetup,
} from '../config/index.js';
import { peerDialAddresses } from '../config/node-config.js';
import { type Clock, systemClock } from '../consensus/clock.js';
import type { HerderConfig } from '../herder/herder.js';
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

/** The herder's timing from the network's genesis (close interval and SCP round timeouts). */
export function herderTimingOf(genesis: Genesis): Partial<HerderConfig> {
  const timing = consensusTiming(genesis);
  return {
    targetCloseMs: timing.targetCloseMs,
    timeouts: {
      nominationRoundMs: timing.nominationRoundMs,
      ballotRoundMs: timing.ballotRoundMs,
      maxTimeoutMs: 30 * 60_000,
    },
  };
}

export async function startNode(configFile: string, opts: StartOptions = {}): Promise<StartedNode> {
  const { config, genesis, seed, identity } = loadNodeSetup(configFile);
  const name = identity.validator.name;
  const logger = opts.logger ?? jsonLogger(name, config.log?.level === 'debug' ? 'debug' : 'info');
  const log = (level: 'info' | 'warn' | 'error', msg: string, data?: object) => logger.log(level, msg, data);

  mkdirSync(config.dataDir, { recursive: true });
  const store = new SqliteLedgerStore(join(config.dataDir, 'ledger.sqlite'));
  const scpState = new SqliteScpStateStore(join(config.dataDir, 'scp-state.sqlite'));
  // Peers listed in the config's peerAddresses are dialed there (NAT, tunnel, a test proxy).
  const dialAt = withConfigFile(configFile, () => peerDialAddresses(config, genesis.validators));
  const transport = new Libp2pTransport({
    nodeId: identity.validator.nodeId,
    transportSeed: deriveTransportSeed(seed),
    listen: `${config.p2p.host}:${config.p2p.port}`,
    peers: genesis.validators.map((v, k) => ({
      nodeId: v.nodeId,
      transportPublicKey: new Uint8Array(Buffer.from(v.transportPublicKey, 'hex')),
      address: `${dialAt[k]!.host}:${dialAt[k]!.port}`,
    })),
    logger: { info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f) },
  });
  const validator = new Validator({
    genesis: genesisDescription(genesis),
    seed,
    store,
    scpState,
    // clockOffsetMs (testing, a drifting host): the validator's clock runs that far from the system's.
    ...(config.clockOffsetMs ? { clock: offsetClock(config.clockOffsetMs) } : {}),
    transport,
    herder: herderTimingOf(genesis),
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
      // Consensus first: a validator that is stopping must not go on voting while its API drains.
      await validator.stop();
      await api.close();
      await admin.close();
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

/** The system clock shifted by `offsetMs` (timers are relative, so only `nowMs` moves). */
function offsetClock(offsetMs: number): Clock {
  return { nowMs: () => Date.now() + offsetMs, schedule: systemClock.schedule };
}

function withConfigFile<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof ConfigError ? e.inFile(file) : e;
  }
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
