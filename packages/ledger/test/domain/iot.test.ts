import { describe, expect, it } from 'vitest';
import { DEPOT, DEVICE, expectFail, expectOk, M, registerAt, uii, type World, world } from './fixtures.js';

const scan = (w: World, over: object = {}, signers: string[] = [DEVICE]) =>
  w.op(
    signers[0]!,
    { type: 'recordScan', device: DEVICE, uii: uii('S1'), time: w.time, ...over },
    signers.slice(1),
  );

function scene(): World {
  const w = world();
  registerAt(w, 'S1');
  // A handheld reader, so scans can carry their own position.
  w.ok(M.devop, { type: 'registerDevice', device: 'handheld-1', org: DEPOT, location: { site: 'DEPOT-A' } });
  return w;
}

describe('recordScan', () => {
  it('records a device-signed scan at the item’s location without alerts', () => {
    const w = scene();
    const r = scan(w);
    expectOk(r);
    expect(r.ok && r.alerts).toBeFalsy();
    expect(w.state.item(uii('S1'))?.lastScan).toEqual({
      position: { latE6: 41_180_000, lonE6: -75_420_000 },
      time: w.time,
      device: DEVICE,
      mismatched: false,
    });
    // A gateway member may carry the device's scan, as long as the device signed it.
    expectOk(scan(w, {}, [M.supplyA, DEVICE]));
  });

  it('must be signed by an active registered device', () => {
    const w = scene();
    expectFail(scan(w, {}, [M.supplyA]), 'DEVICE_SIGNATURE_REQUIRED');
    expectFail(scan(w, { device: 'ghost' }, ['ghost']), 'DEVICE_NOT_FOUND');
    w.ok(M.devop, { type: 'revokeDevice', device: DEVICE });
    expectFail(scan(w), 'DEVICE_REVOKED');
  });

  it('fails SCAN_TIME_INVALID outside the window, ITEM_NOT_FOUND, LOCATION_INVALID', () => {
    const w = scene();
    const p = w.state.params();
    expectFail(scan(w, { time: w.time + p.scanClockSkewSeconds + 1 }), 'SCAN_TIME_INVALID');
    expectFail(scan(w, { time: w.time - p.scanMaxAgeSeconds - 1 }), 'SCAN_TIME_INVALID');
    expectOk(scan(w, { time: w.time + p.scanClockSkewSeconds }));
    expectFail(scan(w, { uii: uii('S404') }), 'ITEM_NOT_FOUND');
    expectFail(scan(w, { location: { lat: 100, lon: 0 } }), 'LOCATION_INVALID');
    expectFail(scan(w, { time: 'now' }), 'OP_MALFORMED');
  });

  it('a scan far from the recorded location raises scan-location-mismatch', () => {
    const w = scene();
    const r = scan(w, { device: 'handheld-1', location: { lat: 34.9, lon: -117.88 } }, ['handheld-1']);
    expectOk(r);
    expect(r.ok && r.alerts?.map((a) => [a.kind, a.subject])).toEqual([
      ['scan-location-mismatch', uii('S1')],
    ]);
    const d = r.ok ? (r.alerts?.[0]?.details.distanceMeters as number) : 0;
    expect(d).toBeGreaterThan(3_500_000); // Pennsylvania to the Mojave
    expect(w.state.alert(1)?.kind).toBe('scan-location-mismatch');
    // The same misplaced item read again at the same place is not reported again.
    w.time += 60;
    const again = scan(w, { device: 'handheld-1', location: { lat: 34.9001, lon: -117.88 } }, ['handheld-1']);
    expectOk(again);
    expect(again.ok && again.alerts).toBeFalsy();
    // Near the site (within the threshold) and long enough after the far reading: no alert.
    w.time += 2 * 86_400;
    const near = scan(w, { device: 'handheld-1', location: { lat: 41.19, lon: -75.42 } }, ['handheld-1']);
    expect(near.ok && near.alerts).toBeFalsy();
  });

  it('two scans too far apart for the time between them raise scan-impossible-travel', () => {
    const w = scene();
    // The item was moved to Edwards on paper; a depot reader sees it 10 minutes after a reading there.
    w.ok(M.supplyA, { type: 'moveItem', uii: uii('S1'), location: { site: 'EDWARDS' } });
    expectOk(scan(w, { device: 'handheld-1', location: { lat: 34.9, lon: -117.88 } }, ['handheld-1']));
    w.time += 600;
    const r = scan(w);
    expect(r.ok && r.alerts?.map((a) => a.kind)).toEqual([
      'scan-location-mismatch',
      'scan-impossible-travel',
    ]);
    // Two days later a reading back at Edwards is plausible travel.
    w.time += 2 * 86_400;
    const back = scan(w, { device: 'handheld-1', location: { lat: 34.9, lon: -117.88 } }, ['handheld-1']);
    expect(back.ok && back.alerts).toBeFalsy();
  });
});
