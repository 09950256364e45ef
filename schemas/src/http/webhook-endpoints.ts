// Signing secrets of outbound webhooks (Standard Webhooks), one per receiving URL.
import { z } from 'zod';
import { Timestamp } from './common.ts';

export const WebhookEndpointUrl = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).max(500),
});

export const WebhookEndpoints = z.object({
  endpoints: z.array(z.object({ url: z.string(), createdAt: Timestamp, rotatedAt: Timestamp.nullable() })),
});

/** The one answer that carries a secret: give it to the receiver's Standard Webhooks library. */
export const WebhookEndpointSecret = z.object({
  url: z.string(),
  secret: z.string().describe('whsec_…: verify webhook-signature with it'),
  createdAt: Timestamp,
  rotatedAt: Timestamp.nullable(),
});
