// Local stand-ins for Aliyun's and Tencent Cloud's SMS APIs that check each request's signature as
// the vendor does, written from the vendors' pages independently of the adapters' signing code;
// the unit tests pin these checks to the vendors' own published examples.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** RFC 3986 unreserved characters stay; every other UTF-8 byte becomes %XX. */
function rfc3986(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Aliyun RPC signature 1.0 as the gateway recomputes it from the parameters it received. */
export function aliyunExpectedSignature(method: string, params: URLSearchParams, secret: string): string {
  const pairs = [...params.entries()].filter(([k]) => k !== 'Signature');
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  const toSign = [method, rfc3986('/'), rfc3986(canonical)].join('&');
  return createHmac('sha1', secret + '&')
    .update(toSign, 'utf8')
    .digest('base64');
}

/** TC3-HMAC-SHA256 as Tencent's gateway checks it: true when `authorization` signs this request. */
export function tencentSignatureValid(
  headers: { authorization: string; contentType: string; host: string; timestamp: string },
  payload: string,
  secrets: Readonly<Record<string, string>>,
): boolean {
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      headers.authorization,
    );
  if (!m) return false;
  const [, id, date, service, signed, signature] = m as unknown as string[];
  const key = secrets[id as string];
  if (key === undefined) return false;
  if (new Date(Number(headers.timestamp) * 1000).toISOString().slice(0, 10) !== date) return false;
  const values: Record<string, string> = { 'content-type': headers.contentType, host: headers.host };
  const names = (signed as string).split(';');
  if (names.some((n) => values[n] === undefined)) return false;
  const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
  const request = `POST\n/\n\n${names.map((n) => `${n}:${(values[n] as string).toLowerCase()}\n`).join('')}\n${signed}\n${hex(payload)}`;
  const toSign = `TC3-HMAC-SHA256\n${headers.timestamp}\n${date}/${service}/tc3_request\n${hex(request)}`;
  let k: Buffer = Buffer.from('TC3' + key, 'utf8');
  for (const part of [date, service, 'tc3_request'] as string[]) k = createHmac('sha256', k).update(part).digest();
  const expected = createHmac('sha256', k).update(toSign, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature as string, 'hex'));
}

export interface GatewayRequest {
  headers: IncomingHttpHeaders;
  raw: string;
  /** Aliyun: the form parameters; Tencent: the JSON payload. */
  body: Record<string, unknown>;
}

export interface FakeGateway {
  url: string;
  requests: GatewayRequest[];
  /** Requests whose signature did not verify (answered with the vendor's signature error). */
  refused: GatewayRequest[];
  close(): Promise<void>;
}

type Reply = { status?: number; body: unknown };

async function startGateway(
  verify: (req: GatewayRequest, host: string) => boolean,
  parse: (raw: string) => Record<string, unknown>,
  refusal: Reply,
  reply: (req: GatewayRequest, index: number) => Reply,
): Promise<FakeGateway> {
  const requests: GatewayRequest[] = [];
  const refused: GatewayRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const got: GatewayRequest = { headers: req.headers, raw, body: parse(raw) };
      const ok = verify(got, req.headers.host ?? '');
      (ok ? requests : refused).push(got);
      const answer = ok ? reply(got, requests.length - 1) : refusal;
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Aliyun dysmsapi: a form POST signed with one of `secrets` (AccessKeyId → secret). */
export function startFakeAliyun(
  secrets: Readonly<Record<string, string>>,
  reply: (params: Record<string, string>, index: number) => Reply,
): Promise<FakeGateway> {
  return startGateway(
    (req) => {
      const params = new URLSearchParams(req.raw);
      const secret = secrets[params.get('AccessKeyId') ?? ''];
      return secret !== undefined && params.get('Signature') === aliyunExpectedSignature('POST', params, secret);
    },
    (raw) => Object.fromEntries(new URLSearchParams(raw)),
    { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' } },
    (req, i) => reply(req.body as Record<string, string>, i),
  );
}

/** Tencent Cloud sms.tencentcloudapi.com: a JSON POST signed with TC3-HMAC-SHA256. */
export function startFakeTencent(
  secrets: Readonly<Record<string, string>>,
  reply: (payload: Record<string, unknown>, index: number) => Reply,
): Promise<FakeGateway> {
  return startGateway(
    (req, host) =>
      tencentSignatureValid(
        {
          authorization: String(req.headers.authorization ?? ''),
          contentType: String(req.headers['content-type'] ?? ''),
          host,
          timestamp: String(req.headers['x-tc-timestamp'] ?? ''),
        },
        req.raw,
        secrets,
      ),
    (raw) => JSON.parse(raw) as Record<string, unknown>,
    {
      body: {
        Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'signature mismatch' }, RequestId: 'r' },
      },
    },
    (req, i) => reply(req.body, i),
  );
}
