// Entry point of a worker thread that runs TypeScript: tsx's loader does not follow the main thread into
// workers on Node 20, so each worker registers it before importing the .ts module named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
