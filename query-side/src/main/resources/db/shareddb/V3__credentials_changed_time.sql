-- When a user's password last changed: management bearer tokens issued before it are no longer accepted.
ALTER TABLE um_user ADD COLUMN credentials_changed_time TIMESTAMPTZ;
