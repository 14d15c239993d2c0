-- Codes an organizer gives out for one event (issue 30): each covers some of
-- the event's ticket types (unlocking the hidden ones) and may take something
-- off each of their tickets. Its uses (tickets bought with it, held or sold)
-- are counted like seats: a CHECK, moved by conditional UPDATEs in the
-- transaction that takes the seats, given back when a hold ends unpaid.
CREATE TABLE event_codes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- As buyers type it, normalized (codes::normalize): capitals and digits.
    code             text NOT NULL CHECK (code ~ '^[A-Z0-9]{4,32}$'),
    -- Off each ticket: a percentage or an amount in the event's currency;
    -- neither: a code that only unlocks.
    percent_off      integer CHECK (percent_off BETWEEN 1 AND 100),
    amount_off_minor bigint CHECK (amount_off_minor BETWEEN 1 AND 99999999),
    -- Tickets it may be used for in all; NULL: no limit (still counted).
    max_uses         integer CHECK (max_uses >= 1),
    used             integer NOT NULL DEFAULT 0,
    valid_from       timestamptz,
    valid_until      timestamptz,
    -- Never deleted once used (order lines name it): disabled instead.
    disabled_at      timestamptz,
    created_by       uuid NOT NULL REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_codes_code_key UNIQUE (event_id, code),
    CONSTRAINT event_codes_one_discount CHECK (percent_off IS NULL OR amount_off_minor IS NULL),
    -- The overuse guard, as ticket_types_no_oversell is the seats'.
    CONSTRAINT event_codes_within_uses CHECK (used >= 0 AND (max_uses IS NULL OR used <= max_uses)),
    CONSTRAINT event_codes_window_check
        CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from)
);

-- The ticket types a code covers (at least one, all of the code's event:
-- checked by codes::create).
CREATE TABLE event_code_types (
    code_id        uuid NOT NULL REFERENCES event_codes (id) ON DELETE CASCADE,
    ticket_type_id uuid NOT NULL REFERENCES ticket_types (id) ON DELETE CASCADE,
    PRIMARY KEY (code_id, ticket_type_id)
);
CREATE INDEX event_code_types_type ON event_code_types (ticket_type_id);

-- Which code each line was bought with and what it took off each ticket; the
-- line's amount is what its tickets were charged.
ALTER TABLE order_items
    ADD COLUMN code_id uuid REFERENCES event_codes (id),
    ADD COLUMN discount_minor bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT order_items_discount_check CHECK (
        discount_minor >= 0 AND discount_minor <= unit_price_minor
        AND (discount_minor = 0 OR code_id IS NOT NULL));
CREATE INDEX order_items_code ON order_items (code_id) WHERE code_id IS NOT NULL;
