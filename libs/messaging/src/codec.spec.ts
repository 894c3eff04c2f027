import { ErrorCode, StewardError } from '@steward/contracts';
import { COMPRESS_OVER_BYTES, decodeBody, ENCODING_HEADER, encodeBody } from './codec';

describe('message bodies', () => {
  it('sends small bodies as plain JSON without an encoding header', () => {
    const { data, headers } = encodeBody({ a: 1 }, undefined, 1024 * 1024, 'x');
    expect(new TextDecoder().decode(data)).toBe('{"a":1}');
    expect(headers).toBeUndefined();
    expect(decodeBody(data, headers)).toEqual({ a: 1 });
  });

  it('gzips bodies over the threshold and round-trips them', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ accountId: `0193a1b2-0000-7000-8000-${String(i).padStart(12, '0')}`, month: '2026-10', productRevenue: i * 100, currency: 'EUR' }));
    const plain = JSON.stringify({ records: rows }).length;
    expect(plain).toBeGreaterThan(COMPRESS_OVER_BYTES);
    const { data, headers } = encodeBody({ records: rows }, undefined, 1024 * 1024, 'x');
    expect(headers?.get(ENCODING_HEADER)).toBe('gzip');
    expect(data.length).toBeLessThan(plain / 5);
    expect(decodeBody(data, headers)).toEqual({ records: rows });
  });

  it('refuses a body that stays over the NATS payload limit with PAYLOAD_TOO_LARGE', () => {
    const random = Array.from({ length: 20_000 }, () => Math.random().toString(36));
    try {
      encodeBody(random, undefined, 50_000, 'The test request');
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(StewardError);
      expect((err as StewardError).code).toBe(ErrorCode.PayloadTooLarge);
      expect((err as StewardError).message).toContain('The test request is too large');
    }
  });
});
