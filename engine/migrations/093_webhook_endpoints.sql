-- Outbound webhooks are signed (Standard Webhooks: webhook-id, webhook-timestamp,
-- webhook-signature = v1,<base64 HMAC-SHA256>) with a secret per receiving URL. The secret is
-- made on the first delivery to a URL; engineers read or rotate it through /api/webhooks/endpoints.
CREATE TABLE webhook_endpoints (
  url         text PRIMARY KEY,
  -- whsec_<base64 of 24 random bytes>: the format receivers' Standard Webhooks libraries take.
  secret      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  rotated_at  timestamptz
);
