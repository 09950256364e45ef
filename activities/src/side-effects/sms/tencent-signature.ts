import { createHash, createHmac } from 'node:crypto';

/** What TC3-HMAC-SHA256 signs: a JSON POST to `host` with content-type and host as signed headers. */
export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The product, e.g. `sms` (the first label of its API host). */
  service: string;
  /** The Host header as sent (with the port when it is not the scheme's default). */
  host: string;
  contentType: string;
  payload: string;
  /** Seconds since the epoch (the X-TC-Timestamp header). */
  timestamp: number;
}

export interface Tc3Signature {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
}

/**
 * Tencent Cloud API 3.0 signature (TC3-HMAC-SHA256) as its "Signature v3" page documents it:
 * canonical request → string to sign with the UTC date's credential scope → a key derived from
 * `TC3` + secret through date, service and `tc3_request` → hex HMAC.
 */
export function tc3Sign(r: Tc3Request): Tc3Signature {
  const date = new Date(r.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${r.contentType.toLowerCase()}\nhost:${r.host.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(r.payload),
  ].join('\n');
  const scope = `${date}/${r.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(r.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const secretDate = hmac(`TC3${r.secretKey}`, date);
  const secretSigning = hmac(hmac(secretDate, r.service), 'tc3_request');
  const signature = createHmac('sha256', secretSigning).update(stringToSign).digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${r.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signature,
    canonicalRequest,
    stringToSign,
  };
}

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
