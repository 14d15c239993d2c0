-- Issue 32: tickets a door can check without a network. Each event has an
-- Ed25519 key pair (made the first time a ticket of the event is shown): the
-- private half signs each ticket's QR payload (its id and version), the
-- public half goes to the event's door devices. A ticket's version rises
-- when its payload must stop admitting (the printed code stays as it is).
CREATE TABLE event_door_keys (
    event_id   uuid PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    -- The key pair as PKCS#8 (what ring reads back).
    pkcs8      bytea NOT NULL,
    public_key bytea NOT NULL CHECK (length(public_key) = 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE tickets ADD COLUMN version smallint NOT NULL DEFAULT 1 CHECK (version >= 1);
