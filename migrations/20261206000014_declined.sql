-- Each end of an unpaid order is named for what happened: the buyer cancelled
-- it (cancelled), its hold ran out (expired), or the bank declined its payment
-- after checkout (declined, was called expired), each with its own mail.
-- The values are used from the next migration on (PostgreSQL cannot use an
-- enum value in the transaction that adds it).
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'declined';
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'order_declined';
