// Prometheus metrics of one validator (served at /metrics). Each node has its own registry, so several
// nodes can live in one process (tests, the simulator).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class NodeMetrics {
  readonly registry = new Registry();
  readonly ledgerSeq = new Gauge({
    name: 'qm_ledger_seq',
    help: 'Sequence of the last closed ledger',
    registers: [this.registry],
  });
  readonly closeInterval = new Histogram({
    name: 'qm_ledger_close_interval_seconds',
    help: 'Wall-clock time between two ledger closes on this node',
    buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30],
    registers: [this.registry],
  });
  readonly consensusTime = new Histogram({
    name: 'qm_ledger_consensus_seconds',
    help: 'From this node nominating a ledger to its externalization',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  readonly applyTime = new Histogram({
    name: 'qm_ledger_apply_seconds',
    help: 'Applying and persisting a closed ledger',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [this.registry],
  });
  readonly txPerLedger = new Histogram({
    name: 'qm_ledger_transactions',
    help: 'Transactions per closed ledger',
    buckets: [0, 1, 10, 100, 500, 1000, 2000, 5000],
    registers: [this.registry],
  });
  readonly txSubmitted = new Counter({
    name: 'qm_tx_submitted_total',
    help: 'Transactions received from clients and peers, by admission result code',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly scpEnvelopes = new Counter({
    name: 'qm_scp_envelopes_total',
    help: 'SCP envelopes received from peers, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly txQueue = new Gauge({
    name: 'qm_tx_queue_size',
    help: 'Transactions waiting',
    registers: [this.registry],
  });
  readonly peers = new Gauge({
    name: 'qm_peers_connected',
    help: 'Connected peers',
    registers: [this.registry],
  });
  readonly stuck = new Gauge({
    name: 'qm_node_stuck',
    help: '1 while no quorum lets this node close ledgers',
    registers: [this.registry],
  });
  readonly failAt = new Gauge({
    name: 'qm_quorum_fail_at',
    help: 'Failures among its quorum set that would stop this node (fail_at)',
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'qm_process_' });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
