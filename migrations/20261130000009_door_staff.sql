-- Door staff: people an organizer invites (by email) to check tickets in at
-- one event, and nothing else of the organizer's.
CREATE TABLE door_staff (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The address invited; only the account with this address may accept.
    email       text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    invited_by  uuid NOT NULL REFERENCES users (id),
    invited_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    user_id     uuid REFERENCES users (id),
    accepted_at timestamptz,
    revoked_at  timestamptz,
    CONSTRAINT door_staff_accepted_check CHECK ((user_id IS NULL) = (accepted_at IS NULL))
);
-- One live invitation per address and event.
CREATE UNIQUE INDEX door_staff_one_per_email ON door_staff (event_id, email) WHERE revoked_at IS NULL;
CREATE INDEX door_staff_user ON door_staff (user_id, event_id) WHERE revoked_at IS NULL;

ALTER TYPE mail_kind ADD VALUE 'door_invite';
