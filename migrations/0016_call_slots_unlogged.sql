-- A lease on a Zoho call slot lives for seconds and means nothing once the database restarts: the
-- table is unlogged, so taking a slot and giving it back write no WAL and their commits wait for
-- no disk flush (issue 13: two of every booking's statements on PostgreSQL, each an fsync). A crash
-- of the database empties it (as it does a replica promoted); every process seeds the slots of
-- its orgs again when it finds none there (src/connections/call-slots.ts).
ALTER TABLE zoho_call_slots SET UNLOGGED;
