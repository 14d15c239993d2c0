-- Refunds issued for payments that arrived after their hold was released and the
-- seats were gone: the Stripe refund id is kept once Stripe has accepted it, so a
-- refund that failed to reach Stripe is retried and never sent twice.
ALTER TABLE orders ADD COLUMN stripe_refund_id text;
CREATE INDEX orders_refund_due ON orders (updated_at) WHERE status = 'refunded' AND stripe_refund_id IS NULL;

-- Where the buyer pays: kept so checking out again sends them back to the same session.
ALTER TABLE orders ADD COLUMN stripe_session_url text;
