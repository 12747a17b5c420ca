-- Issue 16: what each connection syncs beyond Notes and Tasks, chosen on the Zoho card.
-- sync_meetings: also write each booking as a Meeting (Zoho's Events module); off until the
--   user turns it on and accepts the Events permissions.
-- skip_internal: leave out attendees from the host's own email domain (never a free-mail one)
--   and from internal_domains, the domains the user lists (lower case, no '@').
-- event_types: the booking event types (the platform's event_type.id, with the name it had)
--   whose meetings are synced; NULL means every type.
-- field_rows: values written into chosen fields of new Contacts, new Leads and Meetings
--   (src/sync/field-values.ts says the shape).
-- zoho_fields / zoho_fields_read_at: the org's field lists as last read from
--   /settings/fields, per module, for the card's choices and the checks before a write.
ALTER TABLE connections ADD COLUMN sync_meetings boolean NOT NULL DEFAULT false;
ALTER TABLE connections ADD COLUMN skip_internal boolean NOT NULL DEFAULT true;
ALTER TABLE connections ADD COLUMN internal_domains text[] NOT NULL DEFAULT '{}';
ALTER TABLE connections ADD COLUMN event_types jsonb;
ALTER TABLE connections ADD COLUMN field_rows jsonb NOT NULL DEFAULT '[]';
ALTER TABLE connections ADD COLUMN zoho_fields jsonb;
ALTER TABLE connections ADD COLUMN zoho_fields_read_at timestamptz;
