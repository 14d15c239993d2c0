-- A fair on-sale: an organizer may queue visitors for an event's sale (the
-- queue itself lives in Valkey), and a buyer may wait for a sold-out ticket
-- type: seats that come back are offered to the list in order, each offer a
-- hold on the seats for that buyer.
ALTER TABLE events ADD COLUMN queue_enabled boolean NOT NULL DEFAULT false;

CREATE TYPE waiting_status AS ENUM ('waiting', 'offered', 'bought', 'lapsed', 'left');

CREATE TABLE waiting_list (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticket_type_id uuid NOT NULL REFERENCES ticket_types (id) ON DELETE CASCADE,
    user_id        uuid NOT NULL REFERENCES users (id),
    quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 50),
    status         waiting_status NOT NULL DEFAULT 'waiting',
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- The hold made for the offer, once made.
    order_id       uuid REFERENCES orders (id),
    offered_at     timestamptz,
    CONSTRAINT waiting_list_offer_check
        CHECK ((status IN ('waiting', 'left')) = (order_id IS NULL AND offered_at IS NULL))
);
-- One place per buyer and type while waiting or offered.
CREATE UNIQUE INDEX waiting_list_one_per_buyer
    ON waiting_list (ticket_type_id, user_id) WHERE status IN ('waiting', 'offered');
CREATE INDEX waiting_list_next ON waiting_list (ticket_type_id, created_at) WHERE status = 'waiting';
CREATE INDEX waiting_list_offers ON waiting_list (order_id) WHERE status = 'offered';

-- How many wait for the type: while anyone does, seats that come back are
-- theirs (an offer), not the next checkout's. Kept in the same transaction as
-- the rows above.
ALTER TABLE ticket_types ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);

-- What a ticket type has left for a checkout: nothing while people wait for it.
CREATE OR REPLACE FUNCTION tickets_left(t ticket_types, e events) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN t.waiting > 0 THEN 0 ELSE
        LEAST(t.quantity - t.reserved - t.sold,
              COALESCE(e.capacity - e.reserved - e.sold, t.quantity - t.reserved - t.sold))
    END
$$;

ALTER TYPE mail_kind ADD VALUE 'waiting_list_offer';
