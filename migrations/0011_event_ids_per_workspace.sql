-- Event ids are the scheduling platform's, unique within a workspace only: another workspace's
-- event with the same id is an event of its own, not a duplicate (issue 12). Events are keyed by
-- (id, workspace_id) — id first, so a look-up by id alone (a job queued before this migration)
-- still uses the key — and what hangs on an event names it by both. Existing rows keep their ids
-- and links: an id unique everywhere is unique in its workspace.
ALTER TABLE activity DROP CONSTRAINT activity_event_id_fkey;
ALTER TABLE analyses DROP CONSTRAINT analyses_event_id_fkey;
ALTER TABLE suggestions DROP CONSTRAINT suggestions_event_id_fkey;

ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, workspace_id);

-- One analysis per event (a retried job reuses it), one suggestion per event and contact.
ALTER TABLE analyses DROP CONSTRAINT analyses_pkey;
ALTER TABLE analyses ADD CONSTRAINT analyses_pkey PRIMARY KEY (event_id, workspace_id);
ALTER TABLE suggestions DROP CONSTRAINT suggestions_event_id_contact_id_key;
ALTER TABLE suggestions ADD CONSTRAINT suggestions_event_contact_key UNIQUE (event_id, workspace_id, contact_id);

ALTER TABLE activity ADD CONSTRAINT activity_event_fkey
  FOREIGN KEY (event_id, workspace_id) REFERENCES events (id, workspace_id) ON DELETE CASCADE;
ALTER TABLE analyses ADD CONSTRAINT analyses_event_fkey
  FOREIGN KEY (event_id, workspace_id) REFERENCES events (id, workspace_id) ON DELETE CASCADE;
ALTER TABLE suggestions ADD CONSTRAINT suggestions_event_fkey
  FOREIGN KEY (event_id, workspace_id) REFERENCES events (id, workspace_id) ON DELETE CASCADE;
