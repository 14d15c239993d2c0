-- Orders that ended because Stripe reported their payment failed were marked
-- expired: they are declined.
UPDATE orders o SET status = 'declined'
WHERE o.status = 'expired'
  AND EXISTS (SELECT 1 FROM stripe_events s
              WHERE s.order_id = o.id AND s.type = 'checkout.session.async_payment_failed');
