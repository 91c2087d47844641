/**
 * IoT scans: a reading signed by a registered, active device. A scan is an observation, not a move: it
 * does not change the item's recorded location, but it raises an alert when it disagrees with it, or
 * when two scans imply a journey faster than any transport (a cloned tag, or a tag moved between items).
 */
import { type Exec, fail } from '../exec.js';
import { location, safeInt, str } from '../fields.js';
import { distanceMeters, type Position, toLatLon } from '../geo.js';
import type { Location } from '../state.js';
import { loadItem } from './common.js';

export interface RecordScan {
  type: 'recordScan';
  device: string;
  /** The UII read from the tag. */
  uii: string;
  /** Unix seconds, from the device. */
  time: number;
  /** Where the reading happened; a fixed reader's registered location when omitted. */
  location?: Location;
}

export type IotOperation = RecordScan;

const metersBetween = (a: Position, b: Position): number => distanceMeters(toLatLon(a), toLatLon(b));

export function recordScan(x: Exec, op: RecordScan): void {
  const deviceId = str(op, 'device');
  const time = safeInt(op, 'time');
  const loc = op.location === undefined ? undefined : location(op, 'location');
  const { signers, source } = x.ctx;
  if (!signers.includes(source)) fail('SOURCE_NOT_SIGNER', `source ${source} did not sign`);
  if (!signers.includes(deviceId))
    fail('DEVICE_SIGNATURE_REQUIRED', `device ${deviceId} did not sign the scan`);
  const device = x.state.device(deviceId);
  if (!device) fail('DEVICE_NOT_FOUND', `device ${deviceId} is not registered`);
  if (device.status !== 'active') fail('DEVICE_REVOKED', `device ${deviceId} is revoked`);
  const p = x.params();
  if (time > x.now + p.scanClockSkewSeconds || time < x.now - p.scanMaxAgeSeconds) {
    fail('SCAN_TIME_INVALID', `scan time ${time} is outside the window around close time ${x.now}`);
  }
  const item = loadItem(x, op);
  const here = x.position(loc ?? device.location);
  const recorded = x.position(item.location);
  const offMeters = metersBetween(here, recorded);
  const mismatched = offMeters > p.scanDistanceMaxMeters;
  const last = item.lastScan;
  const hopMeters = last ? metersBetween(here, last.position) : 0;
  // A fixed reader sees a misplaced item again and again: report the place once, not every reading.
  const alreadyReported = last?.mismatched === true && hopMeters <= p.scanDistanceMaxMeters;
  if (mismatched && !alreadyReported) {
    x.raise('scan-location-mismatch', item.uii, { device: deviceId, time, distanceMeters: offMeters });
  }
  if (last) {
    const dt = Math.abs(time - last.time);
    // Below the distance threshold, two readings are "the same place" (GPS jitter, a large depot).
    if (hopMeters > p.scanDistanceMaxMeters && hopMeters > p.scanSpeedMaxMetersPerSecond * dt) {
      x.raise('scan-impossible-travel', item.uii, {
        device: deviceId,
        previousDevice: last.device,
        distanceMeters: hopMeters,
        seconds: dt,
      });
    }
  }
  // Keep the newest reading as the reference for the next one (scans may arrive out of order).
  if (!last || time >= last.time) {
    x.state.putItem({ ...item, lastScan: { position: here, time, device: deviceId, mismatched } });
  }
  x.emit('itemScanned', item.uii, { device: deviceId, time, position: here });
}
