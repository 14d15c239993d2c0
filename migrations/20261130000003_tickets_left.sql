-- What a ticket type has left to sell, never more than its event's capacity
-- has left: one definition for every query that checks a cart or a checkout.
CREATE FUNCTION tickets_left(t ticket_types, e events) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT LEAST(t.quantity - t.reserved - t.sold,
                 COALESCE(e.capacity - e.reserved - e.sold, t.quantity - t.reserved - t.sold))
$$;
