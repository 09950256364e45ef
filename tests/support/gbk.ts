// A GB18030 encoder for tests (Node decodes GBK but cannot encode it): the two-byte table is built
// once by decoding every two-byte sequence, which covers GBK (every Chinese character the fixtures
// use); ASCII is itself. A character outside the table is a test's mistake and throws.
let table: Map<string, Buffer> | null = null;

function twoByteTable(): Map<string, Buffer> {
  const decoder = new TextDecoder('gb18030', { fatal: true });
  const map = new Map<string, Buffer>();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const bytes = Buffer.from([lead, trail]);
      try {
        const ch = decoder.decode(bytes);
        if (ch.length === 1 && !map.has(ch)) map.set(ch, bytes);
      } catch {
        // not a character
      }
    }
  return map;
}

/** The text as GBK/GB18030 bytes. */
export function encodeGbk(text: string): Buffer {
  table ??= twoByteTable();
  const out = Buffer.allocUnsafe(text.length * 2);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x80) out[n++] = code;
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`encodeGbk: U+${code.toString(16)} is not in the two-byte GBK table`);
      out[n++] = bytes[0];
      out[n++] = bytes[1];
    }
  }
  return out.subarray(0, n);
}
