-- Two more booking-sync settings: log only on people already in Zoho (never create), and let
-- Zoho's own workflow rules fire on our writes (off: we send `trigger: []`).
ALTER TABLE connections ADD COLUMN only_existing boolean NOT NULL DEFAULT false;
ALTER TABLE connections ADD COLUMN fire_workflows boolean NOT NULL DEFAULT false;

-- Events from the scheduling platform. The platform's event id makes a repeat a duplicate;
-- the payload is kept so a job (or a Retry) works from exactly what was received.
CREATE TABLE events (
  id             text PRIMARY KEY,
  workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type           text NOT NULL,
  booking_id     text NOT NULL,
  user_id        text REFERENCES users (id) ON DELETE SET NULL,
  connection_id  text REFERENCES connections (id) ON DELETE SET NULL,
  -- waiting: the connection needs reconnecting; reconnecting queues it again.
  status         text NOT NULL CHECK (status IN ('queued', 'waiting', 'done', 'skipped', 'failed')),
  detail         text,
  -- Zoho's code (or our error kind) for a failure, for the Activity page's explanation.
  error_code     text,
  payload        jsonb NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_booking_idx ON events (workspace_id, booking_id);
CREATE INDEX events_user_idx ON events (workspace_id, user_id, received_at DESC);

-- Every effect on Zoho, keyed by what caused it, so a retried or repeated job re-uses it
-- instead of creating a second record, note or task (DESIGN §4).
CREATE TABLE sync_refs (
  connection_id  text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('person', 'note', 'task')),
  key            text NOT NULL,
  module         text NOT NULL,
  zoho_id        text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, kind, key)
);

-- What happened in Zoho for each event, in plain language, for the Activity page.
CREATE TABLE activity (
  id             bigserial PRIMARY KEY,
  workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  event_id       text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  booking_id     text NOT NULL,
  action         text NOT NULL CHECK (action IN ('found', 'created', 'logged', 'skipped', 'failed', 'retrying', 'waiting')),
  module         text,
  zoho_id        text,
  message        text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_event_idx ON activity (event_id, id);
