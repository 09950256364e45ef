// The adapters' signatures and the fake gateways' checks, both pinned to the vendors' published
// examples (Aliyun "signature mechanism" DescribeRegions; Tencent Cloud "Signature v3" CVM).
import { describe, expect, it } from 'vitest';
import {
  aliyunPercentEncode,
  aliyunRpcSignature,
  aliyunStringToSign,
  tc3Sign,
} from '../../../activities/src/side-effects/index.ts';
import { aliyunExpectedSignature, tencentSignatureValid } from '../../support/sms-gateways.ts';

const ALIYUN_EXAMPLE = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
};

const TENCENT_EXAMPLE = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  timestamp: 1551113065,
};

describe('Aliyun RPC signature 1.0', () => {
  it("gives the documented example's string to sign and signature", () => {
    expect(aliyunStringToSign('GET', ALIYUN_EXAMPLE)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(aliyunRpcSignature('GET', ALIYUN_EXAMPLE, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('the fake gateway checks against the same documented signature', () => {
    expect(aliyunExpectedSignature('GET', new URLSearchParams(ALIYUN_EXAMPLE), 'testsecret')).toBe(
      'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    );
  });

  it('encodes as RFC 3986 (space %20, * %2A, ~ kept, Chinese as UTF-8 bytes)', () => {
    expect(aliyunPercentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(aliyunPercentEncode('回头')).toBe('%E5%9B%9E%E5%A4%B4');
  });

  it('a signed SendSms with Chinese text verifies at the gateway; a changed parameter does not', () => {
    const params = { ...ALIYUN_EXAMPLE, Action: 'SendSms', TemplateParam: '{"content":"亲，感谢下单 回T退订"}' };
    const signature = aliyunRpcSignature('POST', params, 'k');
    const sent = new URLSearchParams({ ...params, Signature: signature });
    expect(aliyunExpectedSignature('POST', sent, 'k')).toBe(signature);
    sent.set('TemplateParam', '{"content":"tampered"}');
    expect(aliyunExpectedSignature('POST', sent, 'k')).not.toBe(signature);
  });
});

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  it("gives the documented example's canonical request hash, string to sign and signature", () => {
    const s = tc3Sign(TENCENT_EXAMPLE);
    expect(s.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\n' +
        'content-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(s.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('the fake gateway accepts the documented request and refuses it with another payload, key or date', () => {
    const headers = {
      authorization:
        'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
      contentType: TENCENT_EXAMPLE.contentType,
      host: TENCENT_EXAMPLE.host,
      timestamp: '1551113065',
    };
    const secrets = { [TENCENT_EXAMPLE.secretId]: TENCENT_EXAMPLE.secretKey };
    expect(tencentSignatureValid(headers, TENCENT_EXAMPLE.payload, secrets)).toBe(true);
    expect(tencentSignatureValid(headers, TENCENT_EXAMPLE.payload.replace('1', '2'), secrets)).toBe(false);
    expect(tencentSignatureValid(headers, TENCENT_EXAMPLE.payload, { [TENCENT_EXAMPLE.secretId]: 'other' })).toBe(
      false,
    );
    expect(tencentSignatureValid({ ...headers, timestamp: '1551200000' }, TENCENT_EXAMPLE.payload, secrets)).toBe(
      false,
    );
  });
});
