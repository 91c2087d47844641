// Process entry of a rogue validator (issue 6's Byzantine nemesis):
//   node --import tsx packages/node/src/fire/byzantine/rogue-main.ts \
//     --config NODE_CONFIG --mode MODE [--duration-ms N] [--listen HOST:PORT] [--targets a,b] [--data-dir DIR]
// Logs JSON lines on stderr; prints one line `ROGUE_REPORT {json}` on stdout when done, then exits 0.
// SIGTERM ends the run early (the report is still printed).
import { parseArgs } from 'node:util';
import { isRogueMode, ROGUE_MODES, Rogue } from './rogue.js';
import { ROGUE_REPORT_PREFIX } from './spawn.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    mode: { type: 'string' },
    'duration-ms': { type: 'string', default: '15000' },
    listen: { type: 'string' },
    targets: { type: 'string' },
    'data-dir': { type: 'string' },
    'conflict-slots': { type: 'string' },
  },
});

const mode = values.mode ?? '';
if (!values.config || !isRogueMode(mode)) {
  process.stderr.write(`usage: rogue-main --config FILE --mode ${ROGUE_MODES.join('|')} [--duration-ms N]\n`);
  process.exit(2);
}
const durationMs = Number(values['duration-ms']);
const log = (msg: string, data?: object) =>
  process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), rogue: mode, msg, ...data })}\n`);

const rogue = new Rogue({
  configFile: values.config,
  mode,
  durationMs,
  ...(values.listen && { listen: values.listen }),
  ...(values.targets && { targets: values.targets.split(',').filter((s) => s !== '') }),
  ...(values['data-dir'] && { dataDir: values['data-dir'] }),
  ...(values['conflict-slots'] && { conflictSlots: values['conflict-slots'].split(',').map(Number) }),
  log,
});
process.once('SIGTERM', () => rogue.end());
const report = await rogue.run();
process.stdout.write(`${ROGUE_REPORT_PREFIX}${JSON.stringify(report)}\n`);
log('rogue done', { sent: report.sent, lastSlot: report.lastSlot });
process.exit(0);
