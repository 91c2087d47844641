// Configuration of a Quartermaster network and its nodes: genesis file, node config, key files, and the
// generator behind `qm network init`. See docs/configuration.md.
export {
  bftThreshold,
  type CreatedNetwork,
  type CreateNetworkOptions,
  createNetwork,
  type NetworkMember,
  orgCode,
  PORTS_PER_NODE,
  recommendedQuorumSet,
} from './create-network.js';
export { ConfigError, type ConfigErrorCode, ROOT_FIELD } from './errors.js';
export {
  type ConsensusTiming,
  consensusTiming,
  DEFAULT_CONSENSUS,
  GENESIS_FORMAT,
  GENESIS_LIMITS,
  type Genesis,
  type GenesisMember,
  type GenesisOrganization,
  type GenesisQuorumSets,
  type GenesisValidator,
  genesisDescription,
  genesisFileHash,
  genesisState,
  isSharedQuorumSet,
  networkIdOf,
  networkIdText,
  parseGenesis,
  quorumSetOf,
  validateGenesis,
} from './genesis.js';
export {
  deriveTransportSeed,
  NETWORK_SUITES,
  type NetworkSuite,
  nodeKeyPair,
  parseSecretKey,
  publicIdOf,
  readSecretKey,
  SEED_BYTES,
  secretIdOf,
  transportKeyPair,
  transportPublicKeyHex,
  writeSecretKey,
} from './keys.js';
export {
  type ConfigFile,
  loadConfigFile,
  loadGenesis,
  loadNodeSetup,
  type NodeIdentity,
  type NodeSetup,
  resolveNodeIdentity,
} from './load.js';
export {
  LOG_LEVELS,
  LOOPBACK_HOSTS,
  type LogLevel,
  loadNodeConfig,
  NODE_CONFIG_FORMAT,
  type NodeConfig,
  parseNodeConfig,
  validateNodeConfig,
} from './node-config.js';
export {
  checkGenesisQuorum,
  hasQuorumErrors,
  type QuorumCheckOptions,
  type QuorumWarning,
  type QuorumWarningLevel,
} from './quorum-check.js';
export type { Endpoint } from './reader.js';
export { type WriteNetworkOptions, writeNetwork } from './write-network.js';
