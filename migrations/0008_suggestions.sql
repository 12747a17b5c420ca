-- Deal-stage suggestions from a meeting's analysis. Nothing is written to the Deal until the
-- owner of the connection approves; every decision is audited.
CREATE TABLE suggestions (
  id              text PRIMARY KEY,
  workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  -- Whose connection it was made (and would be written) through.
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  connection_id   text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  event_id        text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  booking_id      text NOT NULL,
  meeting_title   text NOT NULL,
  contact_id      text NOT NULL,
  contact_email   text NOT NULL,
  -- The deal it is about, its pipeline (stages in order, with which are closed) and stage then.
  deal_id         text NOT NULL,
  deal_name       text NOT NULL,
  pipeline        text NOT NULL,
  stages          jsonb NOT NULL,
  from_stage      text NOT NULL,
  suggested_stage text NOT NULL,
  confidence      real NOT NULL,
  rationale       text NOT NULL,
  evidence        jsonb NOT NULL,
  intent          text NOT NULL,
  sentiment       text NOT NULL,
  next_steps      jsonb NOT NULL,
  -- The contact's other open deals, the user may pick instead: [{id,name,stage,pipeline,stages}].
  other_deals     jsonb NOT NULL,
  status          text NOT NULL CHECK (status IN ('open', 'deciding', 'approved', 'rejected', 'conflict', 'failed')),
  outcome         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  decided_at      timestamptz,
  UNIQUE (event_id, contact_id)
);
CREATE INDEX suggestions_user_idx ON suggestions (workspace_id, user_id, created_at DESC);

CREATE TABLE suggestion_decisions (
  id             bigserial PRIMARY KEY,
  suggestion_id  text NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
  workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id        text NOT NULL,
  action         text NOT NULL CHECK (action IN ('approve', 'reject')),
  deal_id        text NOT NULL,
  from_stage     text NOT NULL,
  to_stage       text,
  -- written: the Stage changed in Zoho; conflict: the deal had changed, nothing written;
  -- failed: Zoho refused; rejected: nothing written.
  outcome        text NOT NULL CHECK (outcome IN ('written', 'conflict', 'failed', 'rejected')),
  detail         text,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suggestion_decisions_idx ON suggestion_decisions (suggestion_id, id);

ALTER TABLE activity DROP CONSTRAINT activity_action_check;
ALTER TABLE activity ADD CONSTRAINT activity_action_check
  CHECK (action IN ('found', 'created', 'logged', 'skipped', 'failed', 'retrying', 'waiting', 'analysed', 'suggested'));
