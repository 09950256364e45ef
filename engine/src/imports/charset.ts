// The charset of an uploaded file: UTF-8 (with or without a BOM), or GBK/GB18030 as Excel saves a
// CSV on a Chinese Windows. Declared by the Content-Type's charset, else told from the first
// bytes: ASCII reads the same in both, so text streams through until the first byte above 0x7f;
// from there up to DETECT_BYTES are held and decided on (strictly valid UTF-8 or GB18030), then
// decoded from the start. GB18030 is a superset of GBK and GB2312, so one decoder reads all three.
// Bytes invalid in the charset become U+FFFD, which the import reports as a row error with its
// line and column (run-import.ts); a multi-byte character split across chunks decodes whole.
import { ApiError } from '../errors.ts';

export type Charset = 'utf-8' | 'gb18030';

const LABELS: Readonly<Record<string, Charset>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gb18030: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  gb2312: 'gb18030',
  cp936: 'gb18030',
  'windows-936': 'gb18030',
};

/** How much non-ASCII text decides the charset of an undeclared file. */
export const DETECT_BYTES = 64 * 1024;

/** A Content-Type's charset: ours, absent (detect), or 415 naming it. */
export function declaredCharset(contentType: string | undefined): Charset | null {
  const label = /charset\s*=\s*"?([^;"]*)"?/i
    .exec(contentType ?? '')?.[1]
    ?.trim()
    .toLowerCase();
  if (label === undefined || label === '') return null;
  const charset = LABELS[label];
  if (charset) return charset;
  const named = label.length <= 40 && /^[\w.:-]+$/.test(label) ? `charset ${label}` : 'this charset';
  throw new ApiError(
    415,
    'unsupported_charset',
    `${named} is not supported: send the file as UTF-8, GBK or GB18030 (or leave the charset out to have it detected)`,
    ['headers', 'content-type'],
  );
}

/** Bytes in, text out, in the declared charset or the detected one. */
export class ImportDecoder {
  private decoder: TextDecoder | null = null;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(declared: Charset | null) {
    if (declared) this.decoder = new TextDecoder(declared);
  }

  /** The charset in use, once declared or decided. */
  get charset(): Charset | null {
    return (this.decoder?.encoding as Charset | undefined) ?? null;
  }

  push(bytes: Buffer): string {
    if (this.decoder) return this.decoder.decode(bytes, { stream: true });
    if (this.heldBytes === 0) {
      const first = bytes.findIndex((b) => b > 0x7f);
      if (first === -1) return bytes.toString('latin1');
      const ascii = bytes.toString('latin1', 0, first);
      return ascii + this.hold(bytes.subarray(first));
    }
    return this.hold(bytes);
  }

  end(): string {
    if (this.decoder) return this.decoder.decode();
    const [decoder, text] = this.decide(true);
    return text + decoder.decode();
  }

  private hold(bytes: Buffer): string {
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    return this.heldBytes >= DETECT_BYTES ? this.decide(false)[1] : '';
  }

  /** Strictly valid UTF-8 (a character may be cut at the end of what is held) or GB18030. */
  private decide(final: boolean): [TextDecoder, string] {
    const held = Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    let charset: Charset = 'utf-8';
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(held, { stream: !final });
    } catch {
      charset = 'gb18030';
    }
    const decoder = new TextDecoder(charset);
    this.decoder = decoder;
    return [decoder, decoder.decode(held, { stream: true })];
  }
}
