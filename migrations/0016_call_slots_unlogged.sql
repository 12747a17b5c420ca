-- A lease on a Zoho call slot lives for seconds and means nothing once the database restarts: the
-- table is unlogged, so taking a slot and giving it back write no WAL and their commits wait for
-- no disk flush (issue 13: two to four of a booking's statements on PostgreSQL). A crash of the
-- database, an immediate shutdown or a failover empties it (a clean restart keeps it); a call that
-- has waited a second for a slot seeds its org's slots again (src/connections/call-slots.ts).
ALTER TABLE zoho_call_slots SET UNLOGGED;
