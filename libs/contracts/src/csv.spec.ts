import { neutraliseCsvCell, restoreCsvCell } from './csv';

describe('CSV formula cells', () => {
  it.each([
    ['=HYPERLINK("http://evil.test","x")', `'=HYPERLINK("http://evil.test","x")`],
    ['+1+1', "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tTabbed', "'\tTabbed"],
    ['\rReturn', "'\rReturn"],
  ])('neutralises %j', (cell, expected) => {
    expect(neutraliseCsvCell(cell)).toBe(expected);
    expect(restoreCsvCell(neutraliseCsvCell(cell))).toBe(cell);
  });

  it.each(['Acme Steel', '-1200', '3.5', '-0.25', '', "'quoted already", 'a=b', '售后服务'])('leaves %j as it is, both ways', (cell) => {
    expect(neutraliseCsvCell(cell)).toBe(cell);
    expect(restoreCsvCell(cell)).toBe(cell);
  });
});
