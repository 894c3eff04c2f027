import { formatLogLine, LineBuffer, lineSplitter } from './log-format';

const plain = { color: false, nameWidth: 8 };

describe('formatLogLine', () => {
  it('prints pino lines as time, service, level, message and extra fields', () => {
    const time = new Date(2026, 10, 22, 9, 5, 7, 42).getTime();
    const line = JSON.stringify({ level: 30, time, pid: 1, hostname: 'h', msg: 'listening', port: 3000, route: '/v1 x' });
    expect(formatLogLine('gateway', line, plain)).toBe('09:05:07.042 gateway  INFO  listening  port=3000 route="/v1 x"');
  });

  it('names levels and shows error messages with their stack for errors', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'failed', err: { message: 'boom', stack: 'Error: boom\n    at f (a.js:1:1)' } });
    const out = formatLogLine('accounts', line, plain);
    expect(out).toContain('accounts ERROR failed  err=boom');
    expect(out).toContain('\n    at f (a.js:1:1)');
  });

  it('passes other lines through behind the service name', () => {
    expect(formatLogLine('accounts', 'plain text', plain)).toBe('accounts | plain text');
    expect(formatLogLine('accounts', '{"not":"pino"}', plain)).toBe('accounts | {"not":"pino"}');
  });

  it('colours when asked', () => {
    expect(formatLogLine('gateway', JSON.stringify({ level: 40, msg: 'x' }), { ...plain, color: true })).toContain('\u001b[33mWARN');
  });
});

describe('lineSplitter and LineBuffer', () => {
  it('splits chunks into lines and keeps the last ones', () => {
    const buf = new LineBuffer(2);
    const s = lineSplitter((l) => buf.push(l));
    s.write('a\nb');
    s.write('\r\nc\n\nd');
    s.flush();
    expect(buf.last()).toEqual(['c', 'd']);
  });
});
