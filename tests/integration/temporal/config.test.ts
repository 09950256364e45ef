import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@huitou/engine/config';

const dir = mkdtempSync(join(tmpdir(), 'huitou-config-'));
const cert = join(dir, 'client.pem');
const key = join(dir, 'client.key');
writeFileSync(cert, 'cert');
writeFileSync(key, 'key');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded server and local data', () => {
    expect(loadConfig({})).toEqual({
      temporal: {
        address: undefined,
        namespace: 'default',
        taskQueue: 'huitou',
        tls: false,
        clientCert: undefined,
        apiKey: undefined,
        devPort: 7233,
        cohortLanes: 1,
      },
      sms: { kind: 'local' },
      email: { smtpUrl: undefined, from: 'Huitou <noreply@localhost>', publicUrl: 'http://localhost:3000' },
      dataDir: resolve('.data'),
      databaseUrl: undefined,
      port: 3000,
      demoCustomers: 5000,
      importIdleMs: 30_000,
      importLimitBytes: 200 * 1024 * 1024,
      log: { level: 'info', format: undefined },
      metricsToken: undefined,
      temporalMetricsAddress: undefined,
    });
  });

  it('reads the e-mail channel: SMTP with a sender, the public address for unsubscribe links', () => {
    expect(
      loadConfig({
        HUITOU_SMTP_URL: 'smtp://mailer:pa%40ss@mail.example.com:587',
        HUITOU_EMAIL_FROM: '回头小店 <shop@example.com>',
        HUITOU_PUBLIC_URL: 'https://huitou.example.com/',
      }).email,
    ).toEqual({
      smtpUrl: 'smtp://mailer:pa%40ss@mail.example.com:587',
      from: '回头小店 <shop@example.com>',
      publicUrl: 'https://huitou.example.com',
    });
    expect(loadConfig({ PORT: '8080' }).email.publicUrl).toBe('http://localhost:8080');
    const noSender = (() => {
      try {
        loadConfig({ HUITOU_SMTP_URL: 'smtps://u:very-secret@mail.example.com' });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(noSender?.variables).toEqual(['HUITOU_EMAIL_FROM']);
    const badUrl = (() => {
      try {
        loadConfig({ HUITOU_SMTP_URL: 'https://u:very-secret@mail.example.com', HUITOU_EMAIL_FROM: 'a@b.cn' });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(badUrl?.variables).toEqual(['HUITOU_SMTP_URL']);
    expect(badUrl?.message).not.toContain('very-secret');
    expect(() => loadConfig({ HUITOU_EMAIL_FROM: 'not an address' })).toThrow(/HUITOU_EMAIL_FROM/);
    // Demo customers have made-up addresses: no demo shop with a real mail server, an error when asked for.
    const smtp = { HUITOU_SMTP_URL: 'smtp://mail.example.com', HUITOU_EMAIL_FROM: 'shop@example.com' };
    expect(loadConfig(smtp).demoCustomers).toBe(0);
    const demo = (() => {
      try {
        loadConfig({ ...smtp, HUITOU_DEMO_CUSTOMERS: '200' });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(demo?.variables).toEqual(['HUITOU_DEMO_CUSTOMERS']);
  });

  it('reads the SMS provider, and names what a remote one lacks', () => {
    expect(
      loadConfig({
        HUITOU_SMS_PROVIDER: 'http',
        HUITOU_SMS_URL: 'https://sms.example.com/send',
        HUITOU_SMS_IDEMPOTENT: 'yes',
        HUITOU_SMS_TOKEN: 't0k',
      }).sms,
    ).toEqual({
      kind: 'http',
      url: 'https://sms.example.com/send',
      idempotent: true,
      timeoutMs: 10_000,
      token: 't0k',
    });
    expect(
      loadConfig({
        HUITOU_SMS_PROVIDER: 'aliyun',
        HUITOU_SMS_URL: 'http://signer:8080/',
        HUITOU_SMS_TEMPLATE_CODE: 'SMS_1',
        HUITOU_SMS_TIMEOUT_MS: '3000',
      }).sms,
    ).toEqual({
      kind: 'aliyun',
      url: 'http://signer:8080/',
      templateCode: 'SMS_1',
      accessKeyId: undefined,
      timeoutMs: 3000,
    });
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (error) {
        return error as ConfigError;
      }
    };
    expect(problems({ HUITOU_SMS_PROVIDER: 'aliyun' })?.variables.sort()).toEqual([
      'HUITOU_SMS_TEMPLATE_CODE',
      'HUITOU_SMS_URL',
    ]);
    // Signed here: the vendors' own addresses by default, the secrets never echoed in errors.
    expect(
      loadConfig({
        HUITOU_SMS_PROVIDER: 'aliyun',
        HUITOU_SMS_TEMPLATE_CODE: 'SMS_1',
        HUITOU_SMS_ACCESS_KEY_ID: 'LTAI5t',
        HUITOU_SMS_ACCESS_KEY_SECRET: 's3cret',
      }).sms,
    ).toMatchObject({ kind: 'aliyun', url: 'https://dysmsapi.aliyuncs.com/', accessKeySecret: 's3cret' });
    expect(
      loadConfig({
        HUITOU_SMS_PROVIDER: 'tencent',
        HUITOU_SMS_TEMPLATE_CODE: '1110',
        HUITOU_SMS_ACCESS_KEY_ID: 'AKID1',
        HUITOU_SMS_ACCESS_KEY_SECRET: 'tc-s3cret',
        HUITOU_SMS_APP_ID: '1400006666',
      }).sms,
    ).toEqual({
      kind: 'tencent',
      url: 'https://sms.tencentcloudapi.com/',
      templateCode: '1110',
      appId: '1400006666',
      secretId: 'AKID1',
      secretKey: 'tc-s3cret',
      region: 'ap-guangzhou',
      timeoutMs: 10_000,
    });
    expect(problems({ HUITOU_SMS_PROVIDER: 'tencent' })?.variables.sort()).toEqual([
      'HUITOU_SMS_ACCESS_KEY_ID',
      'HUITOU_SMS_ACCESS_KEY_SECRET',
      'HUITOU_SMS_APP_ID',
      'HUITOU_SMS_TEMPLATE_CODE',
    ]);
    const halfPair = problems({
      HUITOU_SMS_PROVIDER: 'aliyun',
      HUITOU_SMS_TEMPLATE_CODE: 'SMS_1',
      HUITOU_SMS_ACCESS_KEY_SECRET: 'half-secret',
    });
    expect(halfPair?.variables).toEqual(['HUITOU_SMS_ACCESS_KEY_ID']);
    expect(halfPair?.message).not.toContain('half-secret');
    // A token for the default local sink is a mistake worth naming, without echoing the secret.
    const stray = problems({ HUITOU_SMS_TOKEN: 'secret-token' });
    expect(stray?.variables).toEqual(['HUITOU_SMS_TOKEN']);
    expect(stray?.message).not.toContain('secret-token');
    expect(() => loadConfig({ HUITOU_SMS_PROVIDER: 'twilio' })).toThrow(/HUITOU_SMS_PROVIDER/);
    expect(loadConfig({ HUITOU_IMPORT_IDLE_MS: '5000' }).importIdleMs).toBe(5_000);
    expect(loadConfig({}).importLimitBytes).toBe(200 * 1024 * 1024);
    expect(loadConfig({ HUITOU_IMPORT_LIMIT_MB: '1024' }).importLimitBytes).toBe(1024 * 1024 * 1024);
    expect(() => loadConfig({ HUITOU_IMPORT_LIMIT_MB: '0' })).toThrow(/HUITOU_IMPORT_LIMIT_MB: expected 1 to 10240 MB/);
    expect(() => loadConfig({ HUITOU_IMPORT_IDLE_MS: '5' })).toThrow(
      /HUITOU_IMPORT_IDLE_MS: expected 1000 to 600000 ms/,
    );
    expect(() => loadConfig({ HUITOU_SMS_PROVIDER: 'http', HUITOU_SMS_URL: 'ftp://x/' })).toThrow(/HUITOU_SMS_URL/);
    expect(loadConfig({ HUITOU_COHORT_LANES: '4' }).temporal.cohortLanes).toBe(4);
    expect(() => loadConfig({ HUITOU_COHORT_LANES: '0' })).toThrow(/HUITOU_COHORT_LANES: expected 1 to 64 lanes/);
    expect(() => loadConfig({ HUITOU_COHORT_LANES: 'many' })).toThrow(/HUITOU_COHORT_LANES: expected a whole number/);
  });

  it('reads the demo shop size, and rejects one that is not a whole number', () => {
    expect(loadConfig({ HUITOU_DEMO_CUSTOMERS: '0' }).demoCustomers).toBe(0);
    expect(() => loadConfig({ HUITOU_DEMO_CUSTOMERS: 'lots' })).toThrow(/HUITOU_DEMO_CUSTOMERS/);
  });

  it('never seeds demo customers with a real SMS provider: off by default, an error when asked for', () => {
    const real = { HUITOU_SMS_PROVIDER: 'http', HUITOU_SMS_URL: 'https://sms.example.com/send' };
    expect(loadConfig(real).demoCustomers).toBe(0);
    expect(loadConfig({ ...real, HUITOU_DEMO_CUSTOMERS: '0' }).demoCustomers).toBe(0);
    expect(configError({ ...real, HUITOU_DEMO_CUSTOMERS: '200' }).problems).toEqual([
      {
        variable: 'HUITOU_DEMO_CUSTOMERS',
        message:
          'must be 0 when HUITOU_SMS_PROVIDER is http: demo customers have made-up phone numbers that a real provider would text',
      },
    ]);
    expect(loadConfig({ HUITOU_DEMO_CUSTOMERS: '200' }).demoCustomers).toBe(200);
  });

  it('reads the log, metrics token and Temporal metrics settings; never echoes the token', () => {
    const config = loadConfig({
      HUITOU_LOG_LEVEL: 'warn',
      HUITOU_LOG_FORMAT: 'json',
      HUITOU_METRICS_TOKEN: 'm3trics',
      HUITOU_TEMPORAL_METRICS: '0.0.0.0:9464',
    });
    expect(config).toMatchObject({
      log: { level: 'warn', format: 'json' },
      metricsToken: 'm3trics',
      temporalMetricsAddress: '0.0.0.0:9464',
    });
    expect(
      configError({ HUITOU_LOG_LEVEL: 'loud', HUITOU_LOG_FORMAT: 'xml', HUITOU_TEMPORAL_METRICS: 'http://x' }).problems,
    ).toEqual([
      { variable: 'HUITOU_LOG_LEVEL', message: 'expected debug, info, warn, error (got "loud")' },
      { variable: 'HUITOU_LOG_FORMAT', message: 'expected json or pretty (got "xml")' },
      {
        variable: 'HUITOU_TEMPORAL_METRICS',
        message: 'expected host:port to listen on, e.g. 0.0.0.0:9464 (got "http://x")',
      },
    ]);
  });

  it('treats empty variables as unset and trims values', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: '',
      TEMPORAL_NAMESPACE: '  ',
      PORT: ' 8080 ',
      TEMPORAL_DEV_PORT: '0',
    });
    expect(config.temporal.address).toBeUndefined();
    expect(config.temporal.namespace).toBe('default');
    expect(config.port).toBe(8080);
    expect(config.temporal.devPort).toBe(0);
  });

  it('reads a Temporal Cloud setup with mTLS', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'shop.a1b2c.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'shop.a1b2c',
      TEMPORAL_TLS_CERT: cert,
      TEMPORAL_TLS_KEY: key,
      TEMPORAL_TASK_QUEUE: 'journeys',
      HUITOU_DATA_DIR: dir,
      DATABASE_URL: 'postgres://u:p@db:5432/huitou',
    });
    expect(config.temporal).toMatchObject({
      address: 'shop.a1b2c.tmprl.cloud:7233',
      namespace: 'shop.a1b2c',
      taskQueue: 'journeys',
      tls: true,
      clientCert: { certPath: cert, keyPath: key },
    });
    expect(config.dataDir).toBe(dir);
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/huitou');
  });

  it('implies TLS for an API key unless TEMPORAL_TLS says otherwise', () => {
    expect(loadConfig({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_API_KEY: 'k' }).temporal).toMatchObject({
      tls: true,
      apiKey: 'k',
    });
    expect(loadConfig({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'no' }).temporal.tls).toBe(
      false,
    );
    expect(loadConfig({ TEMPORAL_ADDRESS: '[::1]:7233', TEMPORAL_TLS: 'TRUE' }).temporal).toMatchObject({
      address: '[::1]:7233',
      tls: true,
    });
  });

  it('lists every malformed variable at once, by name', () => {
    const error = configError({
      TEMPORAL_ADDRESS: 'https://shop.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'my shop',
      TEMPORAL_TLS: 'maybe',
      TEMPORAL_TLS_CERT: join(dir, 'missing.pem'),
      TEMPORAL_TLS_KEY: key,
      TEMPORAL_DEV_PORT: 'abc',
      PORT: '70000',
      DATABASE_URL: 'mysql://root:hunter2@db/shop',
      TEMPORAL_TASK_QUEUE: 'a queue',
    });
    expect(error.variables.sort()).toEqual([
      'DATABASE_URL',
      'PORT',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_DEV_PORT',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_TASK_QUEUE',
      'TEMPORAL_TLS',
      'TEMPORAL_TLS_CERT',
    ]);
    expect(error.message).toContain('TEMPORAL_DEV_PORT: expected a port number from 0 to 65535 (got "abc")');
    expect(error.message).toContain('TEMPORAL_ADDRESS: expected host:port without a scheme');
    expect(error.message).toContain('TEMPORAL_TLS_CERT: no file at this path');
    // Secrets are named, never echoed.
    expect(error.message).not.toContain('hunter2');
  });

  it('reports settings that contradict each other', () => {
    expect(configError({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_TLS_CERT: cert }).variables).toEqual([
      'TEMPORAL_TLS_KEY',
    ]);
    expect(configError({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_TLS_KEY: key }).variables).toEqual(['TEMPORAL_TLS_CERT']);
    expect(
      configError({ TEMPORAL_ADDRESS: 'a:7233', TEMPORAL_TLS_CERT: cert, TEMPORAL_TLS_KEY: key, TEMPORAL_TLS: 'false' })
        .variables,
    ).toEqual(['TEMPORAL_TLS']);
  });

  it('refuses remote-only settings without TEMPORAL_ADDRESS instead of silently running embedded', () => {
    const error = configError({
      TEMPORAL_API_KEY: 'secret-key',
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CERT: cert,
      TEMPORAL_TLS_KEY: key,
    });
    expect(error.variables.sort()).toEqual([
      'TEMPORAL_API_KEY',
      'TEMPORAL_TLS',
      'TEMPORAL_TLS_CERT',
      'TEMPORAL_TLS_KEY',
    ]);
    expect(error.message).not.toContain('secret-key');
  });
});
