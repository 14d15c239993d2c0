-- An organizer is told when an admin suspends them (why, what still works,
-- where to write) and when the suspension is lifted; `about` is the suspension.
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'organizer_suspended';
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'suspension_lifted';
