export { type ClusterNode, type ClusterOptions, LocalCluster } from './local-cluster.js';
export { jsonLogger, type Logger, type LogLevel } from './logger.js';
export { DASHBOARD_DIR, runNodeProcess } from './node-process.js';
export { type StartedNode, type StartOptions, startNode } from './start-node.js';
