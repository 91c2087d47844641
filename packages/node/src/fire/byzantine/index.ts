// The Byzantine actor of the fire campaign: a rogue validator process with a stolen key (rogue.ts).
export {
  isRogueMode,
  ROGUE_MODES,
  Rogue,
  type RogueMode,
  type RogueOptions,
  type RogueReport,
} from './rogue.js';
export { ROGUE_REPORT_PREFIX, type RogueProcess, type SpawnRogueOptions, spawnRogue } from './spawn.js';
