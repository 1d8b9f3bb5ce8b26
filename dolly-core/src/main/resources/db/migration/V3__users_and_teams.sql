-- Users, teams and sessions. Passwords are stored as PBKDF2-HMAC-SHA256 hashes with a random salt
-- ("pbkdf2-sha256$<iterations>$<salt>$<hash>", Base64); a user without a password (the local administrator) cannot
-- sign in, only use tokens.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    password_hash TEXT,
    admin         INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT    NOT NULL
);

CREATE TABLE teams (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE team_members (
    team      TEXT NOT NULL REFERENCES teams (name) ON DELETE CASCADE,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    PRIMARY KEY (team, user_name)
);

-- The local administrator, whose token the daemon keeps in DOLLY_HOME/admin-token, is the first administrator.
INSERT INTO users (name, password_hash, admin, created_at) VALUES ('admin', NULL, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- What a token is: an access token a user made, a sign-in session, or the local administrator's. Sessions and the
-- local administrator's token are not listed with a user's access tokens.
ALTER TABLE access_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'access-token';
UPDATE access_tokens SET kind = 'local-admin' WHERE purpose = 'local administrator (DOLLY_HOME/admin-token)';
CREATE INDEX access_tokens_by_user ON access_tokens (user_name);
