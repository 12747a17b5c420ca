-- Sign-in sessions. The cookie carries a random token; only its SHA-256 is stored, so a
-- database dump cannot be replayed as a session.
CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Handoff tokens from the scheduling platform are single-use: their ids are kept until
-- they would have expired anyway.
CREATE TABLE used_handoffs (
  jti         text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);

-- One row per user: the Zoho connection's state, what Zoho told us about the account, the
-- user's sync settings and the last problem to explain on the card. Tokens live apart.
CREATE TABLE connections (
  id                 text PRIMARY KEY,
  workspace_id       text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id            text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status             text NOT NULL CHECK (status IN ('not_connected', 'connected', 'reconnect_needed')),
  data_center        text,
  accounts_server    text,
  api_domain         text,
  scopes             text,
  zoho_user_id       text,
  zoho_user_name     text,
  zoho_user_email    text,
  zoho_org_id        text,
  zoho_org_name      text,
  new_attendee_module text NOT NULL DEFAULT 'Contacts' CHECK (new_attendee_module IN ('Contacts', 'Leads')),
  sync_bookings      boolean NOT NULL DEFAULT true,
  sync_notes         boolean NOT NULL DEFAULT true,
  sync_tasks         boolean NOT NULL DEFAULT true,
  suggest_deal_stages boolean NOT NULL DEFAULT true,
  problem_code       text,
  problem_detail     text,
  problem_at         timestamptz,
  connected_at       timestamptz,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, user_id)
);

-- Encrypted token values: `v1.<key id>.<iv>.<ciphertext+tag>` (AES-256-GCM, the connection
-- id as additional data). Deleting this row is what "disconnect deletes the tokens" means.
CREATE TABLE connection_tokens (
  connection_id       text PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  workspace_id        text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  refresh_token       text NOT NULL,
  access_token        text,
  access_expires_at   timestamptz,
  -- Zoho mints at most 10 access tokens per refresh token per 10 minutes: count ours.
  refresh_window_start timestamptz,
  refresh_window_count integer NOT NULL DEFAULT 0,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- OAuth `state`: single-use, bound to the user who started the connect, short-lived. Only
-- its hash is stored; the PKCE verifier is encrypted like a token.
CREATE TABLE oauth_states (
  state_hash     text PRIMARY KEY,
  workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id        text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_verifier  text NOT NULL,
  expires_at     timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
