import { uuidv7 } from './ids';

describe('uuidv7', () => {
  it('carries version 7 and the RFC variant', () => {
    expect(uuidv7()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts by creation millisecond', () => {
    const ids = [uuidv7(1_700_000_000_002), uuidv7(1_700_000_000_000), uuidv7(1_700_000_000_001)];
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('encodes the timestamp in the first 48 bits', () => {
    const id = uuidv7(0x0123456789ab);
    expect(id.startsWith('01234567-89ab-7')).toBe(true);
  });
});
