// An upload's charset: declared labels, detection on the first bytes, and characters cut across
// chunks at every byte; bytes invalid in the charset become U+FFFD (a row error later).
import { describe, expect, it } from 'vitest';
import { DETECT_BYTES, ImportDecoder, declaredCharset } from '../../../engine/src/imports/charset.ts';
import type { Charset } from '../../../engine/src/imports/charset.ts';
import { encodeGbk } from '../../support/gbk.ts';

const TEXT = '订单编号,买家会员名,订单状态\r\n1001,小红,"买家已付款，等待卖家发货"\r\n1002,tb_li,交易成功\r\n';

/** Decodes the bytes cut into pieces of `size` bytes. */
function decode(bytes: Buffer, declared: Charset | null, size: number): { text: string; charset: Charset | null } {
  const decoder = new ImportDecoder(declared);
  let text = '';
  for (let i = 0; i < bytes.length; i += size) text += decoder.push(bytes.subarray(i, i + size));
  text += decoder.end();
  return { text, charset: decoder.charset };
}

describe('import charsets', () => {
  it('reads the labels of the Content-Type; an unknown charset is 415 naming it', () => {
    expect(declaredCharset('text/csv')).toBeNull();
    expect(declaredCharset('text/csv; charset=UTF-8')).toBe('utf-8');
    expect(declaredCharset('text/csv; charset="gbk"')).toBe('gb18030');
    expect(declaredCharset('text/csv;charset=gb2312')).toBe('gb18030');
    expect(declaredCharset('text/csv; charset=GB18030; header=present')).toBe('gb18030');
    expect(() => declaredCharset('text/csv; charset=latin1')).toThrow(/charset latin1 is not supported/);
    expect(() => declaredCharset('text/csv; charset=13800138000 x')).toThrow(/this charset is not supported/);
  });

  it('gbk bytes, declared or detected, decode the same however they are cut', () => {
    const gbk = encodeGbk(TEXT);
    expect(gbk.length).toBeLessThan(Buffer.byteLength(TEXT)); // two bytes a character, not three
    for (const size of [1, 2, 3, 5, 7, 64, gbk.length]) {
      expect(decode(gbk, 'gb18030', size)).toEqual({ text: TEXT, charset: 'gb18030' });
      expect(decode(gbk, null, size)).toEqual({ text: TEXT, charset: 'gb18030' });
    }
  });

  it('utf-8 with or without a BOM is detected as utf-8, cut at every byte', () => {
    const utf8 = Buffer.from(TEXT);
    for (const size of [1, 2, 3, 4, 11, utf8.length]) {
      expect(decode(utf8, null, size)).toEqual({ text: TEXT, charset: 'utf-8' });
      // The decoder drops a UTF-8 BOM; the CSV reader drops a U+FEFF it is left with.
      expect(decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), null, size).text).toBe(TEXT);
    }
  });

  it('ascii streams through undecided; the decision waits for DETECT_BYTES of non-ascii text or the end', () => {
    const decoder = new ImportDecoder(null);
    expect(decoder.push(Buffer.from('a,b\n1,2\n'))).toBe('a,b\n1,2\n');
    expect(decoder.charset).toBeNull();
    expect(decoder.push(Buffer.from('x,小\n'))).toBe('x,');
    expect(decoder.charset).toBeNull();
    const more = Buffer.from('红'.repeat(DETECT_BYTES / 3 + 1));
    expect(decoder.push(more)).toBe(`小\n${'红'.repeat(DETECT_BYTES / 3 + 1)}`);
    expect(decoder.charset).toBe('utf-8');
    // Decided: invalid bytes later are U+FFFD, never a thrown error.
    expect(decoder.push(encodeGbk('小红'))).toContain('\uFFFD');
  });

  it('latin-1 bytes that are neither utf-8 nor gbk leave U+FFFD where they stand', () => {
    const latin1 = Buffer.from('name,city\nJos\u00e9,Paris\n', 'latin1');
    const { text, charset } = decode(latin1, null, 4);
    expect(charset).toBe('gb18030');
    expect(text.split('\n')[1]).toMatch(/^Jos\uFFFD/);
    expect(decode(latin1, 'utf-8', 4).text.split('\n')[1]).toBe('Jos\uFFFD,Paris');
  });
});
