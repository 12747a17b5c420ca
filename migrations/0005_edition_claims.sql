-- The Zoho CRM edition of the connected org (from GET /org license_details), which sets how
-- many calls at once Zoho allows per org: the sync holds to it across all workers.
ALTER TABLE connections ADD COLUMN zoho_edition text;

-- A job about to create something in Zoho (a person, a note) claims it first: two jobs never
-- create the same thing at once, and a create whose answer never came (timeout, crash) is
-- looked for in Zoho before it is sent again (DESIGN §4).
CREATE TABLE sync_claims (
  connection_id  text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  kind           text NOT NULL,
  key            text NOT NULL,
  -- The event whose job holds the claim.
  holder         text NOT NULL,
  claimed_at     timestamptz NOT NULL DEFAULT now(),
  -- Set just before the create is sent: while set, Zoho may hold the record without our knowing.
  sent_at        timestamptz,
  PRIMARY KEY (connection_id, kind, key)
);
