-- Webhook events for orders this database does not know (another environment on
-- the same Stripe account, a restored backup) are recorded and acknowledged, so
-- the event id may name no order here. The foreign key also made every insert take
-- a key-share lock on the order, which deadlocked two settlements of one order.
ALTER TABLE stripe_events DROP CONSTRAINT IF EXISTS stripe_events_order_id_fkey;

-- The sweeper claims an overdue order by moving `sweep_after` forward (a lease),
-- and after a failed call to Stripe pushes it further (backoff), so a session
-- that keeps failing never blocks the holds behind it.
ALTER TABLE orders ADD COLUMN sweep_after timestamptz;
ALTER TABLE orders ADD COLUMN sweep_attempts integer NOT NULL DEFAULT 0;

-- The same for refunds Stripe has not taken yet.
ALTER TABLE orders ADD COLUMN refund_after timestamptz;
ALTER TABLE orders ADD COLUMN refund_attempts integer NOT NULL DEFAULT 0;

-- A dispute opened at the bank (Stripe's `charge.dispute.created`): the passes
-- stop admitting while the money is contested.
ALTER TABLE orders ADD COLUMN disputed_at timestamptz;
ALTER TABLE orders ADD COLUMN stripe_dispute_id text;

-- Settlement finds an order by its payment for refunds and disputes made at Stripe.
CREATE INDEX orders_payment_intent ON orders (stripe_payment_intent) WHERE stripe_payment_intent IS NOT NULL;
