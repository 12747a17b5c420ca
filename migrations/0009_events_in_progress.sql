-- Events still in progress, oldest first: what /metrics reads at every scrape
-- (peposmart_sync_oldest_in_progress_seconds), without scanning the whole table.
CREATE INDEX events_in_progress_idx ON events (updated_at) WHERE status = 'queued';
