-- An admin suspends an organizer: their events stop selling at once (new holds
-- are refused, the catalogue leaves them out), tickets already sold stay valid
-- and the organizer can still run the door. Each suspension is a row saying
-- who, when and why, and who lifted it and when; at most one is in force.
CREATE TABLE organizer_suspensions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organizer_id uuid NOT NULL REFERENCES users (id),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    suspended_by uuid NOT NULL REFERENCES users (id),
    suspended_at timestamptz NOT NULL DEFAULT now(),
    lifted_by    uuid REFERENCES users (id),
    lifted_at    timestamptz,
    CONSTRAINT organizer_suspensions_lifted_check CHECK ((lifted_by IS NULL) = (lifted_at IS NULL))
);
CREATE UNIQUE INDEX organizer_suspensions_one_in_force
    ON organizer_suspensions (organizer_id) WHERE lifted_at IS NULL;

-- What the hot path reads (a reservation, the catalogue): a copy of "a
-- suspension is in force", kept in the same transaction as the rows above.
ALTER TABLE users ADD COLUMN suspended_at timestamptz;

-- The admin's user search: by part of an address or a name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);
CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);
