// Process entry of one validator: `node --import tsx packages/node/src/run/main.ts CONFIG`.
// (`qm node run --config CONFIG` does the same from the CLI.)
import { runNodeProcess } from './node-process.js';

await runNodeProcess(process.argv[2]);
