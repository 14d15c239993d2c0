-- The organizer's policy for buyers cancelling paid tickets themselves: until
-- this many hours before the event (NULL: not allowed), keeping a fee.
ALTER TABLE events
    ADD COLUMN buyer_cancel_hours integer CHECK (buyer_cancel_hours BETWEEN 0 AND 8760),
    ADD COLUMN buyer_cancel_fee_percent integer NOT NULL DEFAULT 0
        CHECK (buyer_cancel_fee_percent BETWEEN 0 AND 100);
