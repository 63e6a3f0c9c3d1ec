import { describe, expect, it } from 'vitest';
import { numberFormatProblem } from '../../server/accounts/csv-read.js';
import { scanUtf8 } from '../../server/accounts/utf8-check.js';

// The import's encoding check (it never guesses an encoding) and its number-format words.

describe('scanUtf8', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it('accepts UTF-8 text, including letters of every length', () => {
    expect(scanUtf8(Buffer.from('Compañía, 東京, 😀, plain'))).toEqual({});
  });
  it('finds the first byte that is not UTF-8', () => {
    expect(scanUtf8(Buffer.concat([Buffer.from('Compa'), bytes(0xf1), Buffer.from('ía')]))).toEqual({ invalidAt: 5 });
    expect(scanUtf8(bytes(0x41, 0xc0, 0x80))).toEqual({ invalidAt: 1 }); // overlong
    expect(scanUtf8(bytes(0xed, 0xa0, 0x80))).toEqual({ invalidAt: 0 }); // a surrogate
    expect(scanUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toEqual({ invalidAt: 0 }); // above U+10FFFF
    expect(scanUtf8(bytes(0xe2, 0x41))).toEqual({ invalidAt: 0 }); // cut, then not a continuation
  });
  it('tells a sequence cut by the end of a chunk from a wrong one', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    expect(scanUtf8(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 2)]))).toEqual({ incompleteFrom: 2 });
  });
});

describe('numberFormatProblem', () => {
  it('names numbers written with a decimal comma, separators or units, and nothing else', () => {
    for (const text of ['4.200,50', '1,234', '1,234.50', '4200 €', '12%']) {
      expect(numberFormatProblem(text), text).toMatch(/is not a number as CSV files write them/);
    }
    for (const text of ['4200.50', '-3', '.5', '1e3', 'abc', ''])
      expect(numberFormatProblem(text), text).toBeUndefined();
  });
});
