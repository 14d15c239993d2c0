-- Ticket Sales schema. PostgreSQL is the source of truth: the invariants that keep
-- stock exact live here as constraints, so no application bug can oversell.

CREATE TYPE user_role AS ENUM ('buyer', 'organizer', 'admin');

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    password_hash text NOT NULL,
    role          user_role NOT NULL DEFAULT 'buyer',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TYPE organizer_kind AS ENUM ('individual', 'company');
CREATE TYPE application_status AS ENUM ('pending', 'approved', 'rejected');

CREATE TABLE organizer_applications (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    org_name      text NOT NULL CHECK (length(org_name) BETWEEN 1 AND 120),
    description   text NOT NULL CHECK (length(description) <= 2000),
    website       text CHECK (website IS NULL OR length(website) <= 300),
    kind          organizer_kind NOT NULL,
    status        application_status NOT NULL DEFAULT 'pending',
    decided_by    uuid REFERENCES users (id),
    decided_at    timestamptz,
    reason        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- A decision always says who and when; a rejection always says why.
    CONSTRAINT organizer_applications_decision_check CHECK (
        (status = 'pending' AND decided_by IS NULL AND decided_at IS NULL)
        OR (status <> 'pending' AND decided_by IS NOT NULL AND decided_at IS NOT NULL)
    ),
    CONSTRAINT organizer_applications_reason_check CHECK (
        status <> 'rejected' OR (reason IS NOT NULL AND length(trim(reason)) > 0)
    )
);
-- One open application per user at a time.
CREATE UNIQUE INDEX organizer_applications_one_pending
    ON organizer_applications (user_id) WHERE status = 'pending';
CREATE INDEX organizer_applications_status_created
    ON organizer_applications (status, created_at);

CREATE TYPE ticket_status AS ENUM ('draft', 'published', 'cancelled');

CREATE TABLE tickets (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organizer_id   uuid NOT NULL REFERENCES users (id),
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    description    text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    venue          text NOT NULL CHECK (length(venue) BETWEEN 1 AND 200),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    sale_starts_at timestamptz NOT NULL,
    sale_ends_at   timestamptz NOT NULL,
    price_minor    bigint NOT NULL CHECK (price_minor >= 0),
    currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    stock          integer NOT NULL CHECK (stock >= 1),
    reserved       integer NOT NULL DEFAULT 0,
    sold           integer NOT NULL DEFAULT 0,
    max_per_order  integer NOT NULL DEFAULT 10 CHECK (max_per_order BETWEEN 1 AND 100),
    status         ticket_status NOT NULL DEFAULT 'draft',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- The oversell guard: whatever the application does, seats held plus seats sold
    -- never exceed the seats that exist.
    CONSTRAINT tickets_no_oversell CHECK (reserved >= 0 AND sold >= 0 AND reserved + sold <= stock),
    CONSTRAINT tickets_event_window_check CHECK (ends_at > starts_at),
    CONSTRAINT tickets_sale_window_check CHECK (sale_ends_at > sale_starts_at AND sale_ends_at <= ends_at),
    search_document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(venue, '')), 'B')
        || setweight(to_tsvector('simple', coalesce(description, '')), 'C')
    ) STORED
);
CREATE INDEX tickets_published_starts ON tickets (starts_at) WHERE status = 'published';
CREATE INDEX tickets_published_price ON tickets (price_minor) WHERE status = 'published';
CREATE INDEX tickets_organizer ON tickets (organizer_id, created_at DESC);
CREATE INDEX tickets_search ON tickets USING gin (search_document);

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'expired', 'cancelled', 'refunded');

CREATE TABLE orders (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid NOT NULL REFERENCES users (id),
    status            order_status NOT NULL DEFAULT 'pending',
    total_minor       bigint NOT NULL CHECK (total_minor >= 0),
    currency          char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reserved_until    timestamptz NOT NULL,
    stripe_session_id text UNIQUE,
    stripe_payment_intent text,
    refund_reason     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    paid_at           timestamptz,
    CONSTRAINT orders_paid_at_check CHECK (status NOT IN ('paid', 'refunded') OR paid_at IS NOT NULL),
    CONSTRAINT orders_refund_reason_check CHECK (status <> 'refunded' OR refund_reason IS NOT NULL)
);
-- One pending order per buyer: checking out again reuses it instead of holding more stock.
CREATE UNIQUE INDEX orders_one_pending_per_user ON orders (user_id) WHERE status = 'pending';
-- The sweeper's queue.
CREATE INDEX orders_pending_reserved_until ON orders (reserved_until) WHERE status = 'pending';
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC);

CREATE TABLE order_items (
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    ticket_id        uuid NOT NULL REFERENCES tickets (id),
    quantity         integer NOT NULL CHECK (quantity >= 1),
    -- Copied at reservation time so a later price edit never changes an order.
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    currency         char(3) NOT NULL,
    PRIMARY KEY (order_id, ticket_id)
);
CREATE INDEX order_items_ticket ON order_items (ticket_id);

CREATE TABLE passes (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id      uuid NOT NULL REFERENCES orders (id),
    ticket_id     uuid NOT NULL REFERENCES tickets (id),
    seat_no       integer NOT NULL CHECK (seat_no >= 1),
    -- What the QR code encodes: at least 128 random bits, never derived from ids.
    code          text NOT NULL CHECK (length(code) >= 22),
    checked_in_at timestamptz,
    checked_in_by uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT passes_code_key UNIQUE (code),
    CONSTRAINT passes_seat_key UNIQUE (order_id, ticket_id, seat_no),
    CONSTRAINT passes_check_in_check CHECK ((checked_in_at IS NULL) = (checked_in_by IS NULL))
);
CREATE INDEX passes_ticket ON passes (ticket_id);

CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    order_id    uuid REFERENCES orders (id),
    received_at timestamptz NOT NULL DEFAULT now()
);
