-- An address change tells the old address, with a link that undoes it for 7
-- days (`restore_email`); a sign-up for an address that has an account tells
-- its owner instead of telling the form.
ALTER TYPE email_link_purpose ADD VALUE IF NOT EXISTS 'restore_email';
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'email_changed';
ALTER TYPE mail_kind ADD VALUE IF NOT EXISTS 'sign_up_attempt';
