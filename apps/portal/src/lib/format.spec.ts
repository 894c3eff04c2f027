import { formatDate, formatMoney, formatMonth, formatNumber, formatPercent, minorDigits } from './format';

describe('money in minor units', () => {
  it('knows how many minor units a currency has', () => {
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
  });
  it('¥1,234.56 from 123456 fen, in both languages', () => {
    expect(formatMoney(123456, 'CNY', 'zh-CN')).toBe('¥1,234.56');
    expect(formatMoney(123456, 'CNY', 'en')).toBe('CN¥1,234.56');
    expect(formatMoney(123456, 'USD', 'en')).toBe('$1,234.56');
    expect(formatMoney(1234, 'JPY', 'en')).toBe('¥1,234');
  });
  it('compact: 万 and 亿 in Chinese, K and M in English', () => {
    expect(formatMoney(1_250_000_00, 'CNY', 'zh-CN', true)).toBe('¥125万');
    expect(formatMoney(1_250_000_00, 'USD', 'en', true)).toBe('$1.3M');
  });
  it('nothing is a dash; no currency is a plain number', () => {
    expect(formatMoney(null, 'CNY', 'en')).toBe('—');
    expect(formatMoney(1500, null, 'en')).toBe('1,500');
  });
});

describe('numbers, shares and dates', () => {
  it('numbers and percentages', () => {
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(1234567, 'zh-CN', true)).toBe('123.5万');
    expect(formatPercent(0.8, 'en')).toBe('80%');
    expect(formatPercent(0.8051, 'zh-CN')).toBe('80.5%');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
  });
  it('a date without time is the same day in every time zone', () => {
    expect(formatDate('2026-03-01', 'en')).toBe('Mar 1, 2026');
    expect(formatDate('2026-03-01', 'zh-CN')).toBe('2026年3月1日');
    expect(formatDate(null, 'en')).toBe('—');
    expect(formatDate('not a date', 'en')).toBe('not a date');
  });
  it('months', () => {
    expect(formatMonth('2026-03', 'en')).toBe('Mar 2026');
    expect(formatMonth('2026-03', 'zh-CN')).toBe('2026年3月');
  });
});
