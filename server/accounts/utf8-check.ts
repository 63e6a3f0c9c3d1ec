import { Transform } from 'node:stream';
import { DomainError } from '../errors.js';

// CSV files must be UTF-8. A spreadsheet saved as Windows-1252 or Latin-1 ("CSV" rather than "CSV UTF-8" in Excel)
// turns "Compañía" into bytes that are not UTF-8; decoding them anyway would store "Compa�ía" for good. So the
// import stops at the first such byte, says on which line, and asks for the file again — it never guesses the
// encoding (a guess that is wrong for one row is silently wrong data).

/** Length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `bytes[at..at+length)` is a well-formed sequence (no overlong forms, no surrogates, ≤ U+10FFFF). */
function wellFormed(bytes: Uint8Array, at: number, length: number): boolean {
  const lead = bytes[at]!;
  for (let i = 1; i < length; i++) {
    const byte = bytes[at + i]!;
    if ((byte & 0xc0) !== 0x80) return false;
  }
  const second = bytes[at + 1] ?? 0;
  if (lead === 0xe0 && second < 0xa0) return false;
  if (lead === 0xed && second > 0x9f) return false;
  if (lead === 0xf0 && second < 0x90) return false;
  if (lead === 0xf4 && second > 0x8f) return false;
  return true;
}

/**
 * Where `bytes` stop being UTF-8: `{ invalidAt }` for the first byte that is not, or `{ incompleteFrom }` for a
 * sequence cut by the end of the buffer (the next chunk may complete it), or `{}` when every byte is fine.
 */
export function scanUtf8(bytes: Uint8Array): { invalidAt?: number; incompleteFrom?: number } {
  let at = 0;
  while (at < bytes.length) {
    const length = sequenceLength(bytes[at]!);
    if (length === 0) return { invalidAt: at };
    if (at + length > bytes.length) {
      // Cut short: valid so far only if every byte present continues the sequence.
      for (let i = at + 1; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) return { invalidAt: at };
      return { incompleteFrom: at };
    }
    if (length > 1 && !wellFormed(bytes, at, length)) return { invalidAt: at };
    at += length;
  }
  return {};
}

const notUtf8 = (line: number, byte: number) =>
  new DomainError(
    'invalid',
    'not_utf8',
    `Nothing was imported: line ${line} has a byte (0x${byte.toString(16).toUpperCase().padStart(2, '0')}) that is not UTF-8 text. ` +
      'The file seems to be saved in another encoding (Excel’s plain “CSV” is Windows-1252); save it as “CSV UTF-8” and import it again.',
  );

/** A pass-through stream that fails with the line of the first byte that is not UTF-8. */
export function utf8Check(): Transform {
  let carry = Buffer.alloc(0);
  let newlines = 0;
  const countNewlines = (bytes: Uint8Array, end: number) => {
    for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) newlines++;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const scan = scanUtf8(bytes);
      if (scan.invalidAt !== undefined) {
        countNewlines(bytes, scan.invalidAt);
        return done(notUtf8(newlines + 1, bytes[scan.invalidAt]!));
      }
      const end = scan.incompleteFrom ?? bytes.length;
      countNewlines(bytes, end);
      carry = Buffer.from(bytes.subarray(end));
      done(null, chunk);
    },
    flush(done) {
      // The file ended inside a sequence: its last bytes are not UTF-8.
      done(carry.length > 0 ? notUtf8(newlines + 1, carry[0]!) : null);
    },
  });
}
