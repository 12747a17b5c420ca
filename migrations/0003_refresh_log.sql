-- Zoho's limit is 10 access tokens per refresh token in any 10 minutes: a log of the recent
-- refresh attempts (successful or not) replaces the fixed window, which allowed bursts
-- across a window's edge.
ALTER TABLE connection_tokens ADD COLUMN refresh_log timestamptz[] NOT NULL DEFAULT '{}';
ALTER TABLE connection_tokens DROP COLUMN refresh_window_start;
ALTER TABLE connection_tokens DROP COLUMN refresh_window_count;
