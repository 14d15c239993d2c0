-- Tickets of orders refunded in full before tickets carried their own refund
-- mark (a refund made in Stripe's dashboard) no longer admit either: mark them.
UPDATE passes p SET refunded_at = o.updated_at
FROM orders o
WHERE o.id = p.order_id AND o.status = 'refunded' AND p.refunded_at IS NULL;
