-- Live orders and reviews from events (issue 15): an event may name its customer and order by the
-- platform's ids and create them; order events move the order forward; review_posted stores its
-- review. The rating an event carried is kept on the event, so routing (and a re-route by the
-- sweep) judges an entry's ratings filter by what the event said, even if the review changes later.
ALTER TABLE events ADD COLUMN rating text CHECK (rating IN ('positive', 'neutral', 'negative'));

-- Responses: "a purchase within the attribution window after a marketing SMS" reads a customer's
-- sent marketing messages by send time.
CREATE INDEX messages_marketing_sent_idx ON messages (customer_id, sent_at) WHERE class = 'marketing' AND sent_at IS NOT NULL;
