-- Cancelling an event: sales stop at once (status 'cancelled') and every paid
-- order's tickets for it are refunded by a job any instance's sweeper works on,
-- surviving restarts (its state is this row and the refunds themselves).
CREATE TABLE event_cancellations (
    event_id     uuid PRIMARY KEY REFERENCES events (id),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    requested_by uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Last seen with nothing left to refund (a late payment reopens the work).
    finished_at  timestamptz
);
