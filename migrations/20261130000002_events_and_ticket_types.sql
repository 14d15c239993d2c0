-- Events with several ticket types and an optional shared capacity.
--
-- What was one "ticket" row (a whole event with one price) becomes an event and
-- its first ticket type, "Admission", which keeps the old row's id: orders,
-- their lines and the issued tickets (passes) keep their ids and codes, and a
-- link to /events/{id} still opens the same event.
--
-- Stock invariants, all in CHECK constraints moved by conditional UPDATEs:
--   each ticket type: reserved + sold <= quantity;
--   each event: reserved + sold <= capacity, when it has one (the counters on the
--   event row are the sums over its types, kept in the same transactions).

ALTER TYPE ticket_status RENAME TO event_status;
ALTER TABLE tickets RENAME TO events;
ALTER TABLE events RENAME CONSTRAINT tickets_event_window_check TO events_window_check;
ALTER TABLE events RENAME CONSTRAINT tickets_title_check TO events_title_check;
ALTER TABLE events RENAME CONSTRAINT tickets_description_check TO events_description_check;
ALTER TABLE events RENAME CONSTRAINT tickets_venue_check TO events_venue_check;
ALTER TABLE events RENAME CONSTRAINT tickets_currency_check TO events_currency_check;
ALTER TABLE events RENAME CONSTRAINT tickets_organizer_id_fkey TO events_organizer_id_fkey;
ALTER INDEX tickets_pkey RENAME TO events_pkey;
ALTER INDEX tickets_published_starts RENAME TO events_published_starts;
ALTER INDEX tickets_organizer RENAME TO events_organizer;
ALTER INDEX tickets_search RENAME TO events_search;
DROP INDEX tickets_published_price;

CREATE TABLE ticket_types (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    -- In the event's currency (events.currency).
    price_minor    bigint NOT NULL CHECK (price_minor >= 0),
    quantity       integer NOT NULL CHECK (quantity >= 1),
    reserved       integer NOT NULL DEFAULT 0,
    sold           integer NOT NULL DEFAULT 0,
    sale_starts_at timestamptz NOT NULL,
    sale_ends_at   timestamptz NOT NULL,
    max_per_order  integer NOT NULL DEFAULT 10 CHECK (max_per_order BETWEEN 1 AND 100),
    -- Not listed to buyers (for later: reachable through codes).
    hidden         boolean NOT NULL DEFAULT false,
    position       integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ticket_types_no_oversell CHECK (reserved >= 0 AND sold >= 0 AND reserved + sold <= quantity),
    CONSTRAINT ticket_types_sale_window_check CHECK (sale_ends_at > sale_starts_at)
);
CREATE INDEX ticket_types_event ON ticket_types (event_id, position);

INSERT INTO ticket_types (id, event_id, name, price_minor, quantity, reserved, sold,
                          sale_starts_at, sale_ends_at, max_per_order, position)
SELECT id, id, 'Admission', price_minor, stock, reserved, sold,
       sale_starts_at, sale_ends_at, max_per_order, 0
FROM events;

ALTER TABLE events
    DROP CONSTRAINT tickets_no_oversell,
    DROP CONSTRAINT tickets_sale_window_check,
    DROP COLUMN price_minor,
    DROP COLUMN stock,
    DROP COLUMN sale_starts_at,
    DROP COLUMN sale_ends_at,
    DROP COLUMN max_per_order,
    -- Shared by all the event's types (a venue of 800 selling 600 standing and
    -- 400 seated); NULL: only the types' own quantities apply.
    ADD COLUMN capacity integer CHECK (capacity IS NULL OR capacity >= 1),
    ADD CONSTRAINT events_within_capacity
        CHECK (reserved >= 0 AND sold >= 0 AND (capacity IS NULL OR reserved + sold <= capacity));

ALTER TABLE order_items RENAME COLUMN ticket_id TO ticket_type_id;
ALTER TABLE order_items DROP CONSTRAINT order_items_ticket_id_fkey,
    ADD CONSTRAINT order_items_ticket_type_id_fkey FOREIGN KEY (ticket_type_id) REFERENCES ticket_types (id);
ALTER INDEX order_items_ticket RENAME TO order_items_ticket_type;

ALTER TABLE passes RENAME COLUMN ticket_id TO ticket_type_id;
ALTER TABLE passes DROP CONSTRAINT passes_ticket_id_fkey,
    ADD CONSTRAINT passes_ticket_type_id_fkey FOREIGN KEY (ticket_type_id) REFERENCES ticket_types (id);
ALTER INDEX passes_ticket RENAME TO passes_ticket_type;
