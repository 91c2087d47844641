export type { Driver } from './driver.js';
export * from './types.js';
