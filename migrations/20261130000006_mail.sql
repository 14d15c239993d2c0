-- Email: verified addresses, single-use links sent by mail, and the outbox
-- every message goes through (written in the transaction of the change that
-- causes it, delivered by a worker on any instance).

ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- Accounts made before addresses were verified keep checking out.
UPDATE users SET email_verified_at = created_at;

CREATE TYPE email_link_purpose AS ENUM ('verify_email', 'reset_password', 'change_email');

-- A link mailed to a user. The link carries the row's id and an HMAC of it
-- (APP_SECRET): the database alone cannot make a working link.
CREATE TABLE email_links (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    email_link_purpose NOT NULL,
    -- The address the link was sent to: the new one when changing the address.
    email      text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at    timestamptz
);
CREATE INDEX email_links_user ON email_links (user_id, purpose);

CREATE TYPE mail_kind AS ENUM (
    'order_confirmed', 'order_refunded', 'order_expired',
    'application_approved', 'application_rejected',
    'verify_email', 'reset_password', 'change_email'
);

CREATE TABLE outbox (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind       mail_kind NOT NULL,
    -- The order, organizer application or email link the message is about:
    -- one message of a kind per subject, however often the change is replayed.
    about      uuid NOT NULL,
    recipient  text NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- When a worker may (next) take it; a claim pushes it forward by the lease.
    send_after timestamptz NOT NULL DEFAULT now(),
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    sent_at    timestamptz,
    -- Given up after the retry budget, with the last reason.
    failed_at  timestamptz,
    last_error text,
    CONSTRAINT outbox_once UNIQUE (kind, about),
    CHECK (sent_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX outbox_due ON outbox (send_after) WHERE sent_at IS NULL AND failed_at IS NULL;
