-- Leases on Zoho's concurrent-call slots, per org, shared by every process on PostgreSQL: a
-- call holds one while it runs, so the org's edition limit holds across workers exactly. A
-- lease of a process that died expires on its own.
CREATE TABLE zoho_call_slots (
  org_key     text NOT NULL,
  slot        int NOT NULL,
  holder      text,
  expires_at  timestamptz,
  PRIMARY KEY (org_key, slot)
);
