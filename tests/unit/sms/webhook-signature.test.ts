// Outbound webhook signatures against the Standard Webhooks specification's published test vector.
import { describe, expect, it } from 'vitest';
import { standardWebhookSignature } from '../../../activities/src/side-effects/index.ts';

describe('Standard Webhooks signature', () => {
  it('reproduces the specification test vector', () => {
    expect(
      standardWebhookSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with the body, the id, the timestamp and the secret', () => {
    const base = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', 1614265330, '{}'] as const;
    const sig = standardWebhookSignature(...base);
    expect(standardWebhookSignature(base[0], base[1], base[2], '{ }')).not.toBe(sig);
    expect(standardWebhookSignature(base[0], 'msg_2', base[2], base[3])).not.toBe(sig);
    expect(standardWebhookSignature(base[0], base[1], base[2] + 1, base[3])).not.toBe(sig);
    expect(standardWebhookSignature('whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', base[1], base[2], base[3])).not.toBe(sig);
  });
});
