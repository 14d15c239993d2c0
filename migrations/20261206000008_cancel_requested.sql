-- The buyer asked to cancel a pending order: set before its session is expired
-- at Stripe, so that the checkout.session.expired that expiry sends ends the
-- order as cancelled (no "your hold expired" mail), whichever comes first.
ALTER TABLE orders ADD COLUMN cancel_requested_at timestamptz;
