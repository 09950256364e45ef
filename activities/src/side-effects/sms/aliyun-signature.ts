import { createHmac } from 'node:crypto';

/**
 * Aliyun's RPC request signature (SignatureVersion 1.0, HMAC-SHA1), as its "signature mechanism"
 * page documents it: the parameters sorted by name, each name and value percent-encoded by
 * RFC 3986 (space as %20, `*` as %2A, `~` kept), joined into `METHOD&%2F&<encoded query>`, signed
 * with the AccessKey secret followed by `&`, base64.
 */
export function aliyunRpcSignature(
  method: 'GET' | 'POST',
  params: Readonly<Record<string, string>>,
  secret: string,
): string {
  return createHmac('sha1', `${secret}&`).update(aliyunStringToSign(method, params)).digest('base64');
}

export function aliyunStringToSign(method: 'GET' | 'POST', params: Readonly<Record<string, string>>): string {
  const query = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name] as string)}`)
    .join('&');
  return `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(query)}`;
}

/** encodeURIComponent leaves `!'()*` alone; RFC 3986 as Aliyun reads it encodes them. */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `2026-11-11T00:00:05Z`: Aliyun's Timestamp is UTC to the second. */
export function aliyunTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
