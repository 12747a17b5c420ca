-- Issue 16: a booking's Meeting in Zoho CRM's calendar (the Events module) is kept as a sync
-- reference like a person, a Note or a Task: kind 'meeting', keyed by the booking id
-- (src/sync/meetings.ts), so a retried or repeated job moves or marks the same Meeting.
ALTER TABLE sync_refs DROP CONSTRAINT sync_refs_kind_check;
ALTER TABLE sync_refs ADD CONSTRAINT sync_refs_kind_check CHECK (kind IN ('person', 'note', 'task', 'meeting'));
