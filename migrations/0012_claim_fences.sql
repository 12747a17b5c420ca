-- Claims are fenced per attempt: every take of a claim (a job's first attempt, its retry, a
-- takeover) draws a fencing token of its own from a sequence, so it is never reused. An attempt
-- that lost its claim while it stalled (a GC pause, SIGSTOP, its job handed to another worker
-- past its heartbeat) holds a token no row has any more: its create, its reference and its
-- release are refused (src/sync/claims.ts).
CREATE SEQUENCE sync_claim_fences;
ALTER TABLE sync_claims ADD COLUMN fence bigint NOT NULL DEFAULT nextval('sync_claim_fences');

-- When a reference was last kept or moved to another record. A claim whose create was sent
-- before that is settled, and a claim its holder left behind may then be swept away. Rows kept
-- before this migration have none: their created_at stands in (no rewrite of a large table).
ALTER TABLE sync_refs ADD COLUMN kept_at timestamptz;
ALTER TABLE sync_refs ALTER COLUMN kept_at SET DEFAULT now();
