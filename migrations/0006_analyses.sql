-- The analysis of a meeting's notes: made once per event, so a retried job reuses it rather
-- than asking the model again, and kept for deal-stage suggestions.
CREATE TABLE analyses (
  event_id        text PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  booking_id      text NOT NULL,
  -- Which analyser produced it ('openai:<model>' or 'offline'), and why it fell back, if it did.
  analyzer        text NOT NULL,
  fallback_reason text,
  result          jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analyses_booking_idx ON analyses (workspace_id, booking_id);

-- Activity gains "analysed" (which analyser read the meeting, and any fallback).
ALTER TABLE activity DROP CONSTRAINT activity_action_check;
ALTER TABLE activity ADD CONSTRAINT activity_action_check
  CHECK (action IN ('found', 'created', 'logged', 'skipped', 'failed', 'retrying', 'waiting', 'analysed'));
