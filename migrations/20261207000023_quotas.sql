-- Issue 30: a quota, seats set aside for a code's holders. A hidden type with
-- quota_until is sold only with a code until then, and its unsold seats are
-- set aside in the event's shared capacity for the other types; from
-- quota_until on it is an ordinary listed type. Nothing runs at that time:
-- every rule below reads now().
ALTER TABLE ticket_types
    ADD COLUMN quota_until timestamptz,
    ADD CONSTRAINT ticket_types_quota_is_hidden CHECK (quota_until IS NULL OR hidden);

-- Whether the type is sold only with a code now.
CREATE FUNCTION type_hidden(t ticket_types) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT t.hidden AND (t.quota_until IS NULL OR now() < t.quota_until)
$$;

-- Seats of an event set aside for its types' quotas (besides the type `other_than`,
-- if given): their unsold, unheld seats until each quota ends.
CREATE FUNCTION quota_seats(for_event uuid, other_than uuid) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(sum(GREATEST(q.quantity - q.reserved - q.sold, 0)), 0)::integer
    FROM ticket_types q
    WHERE q.event_id = for_event AND q.id IS DISTINCT FROM other_than AND q.quota_until > now()
$$;

-- What a ticket type has left for a checkout: nothing while people wait for
-- it, never more than the capacity has left besides the other quotas' seats.
CREATE OR REPLACE FUNCTION tickets_left(t ticket_types, e events) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN t.waiting > 0 THEN 0
                WHEN e.capacity IS NULL THEN t.quantity - t.reserved - t.sold
                ELSE GREATEST(LEAST(t.quantity - t.reserved - t.sold,
                                    e.capacity - e.reserved - e.sold - quota_seats(t.event_id, t.id)), 0)
           END
$$;
