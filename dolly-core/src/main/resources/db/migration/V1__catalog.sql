-- The catalog: every image and container, with the state of the operation running on it, so that the daemon
-- can settle anything a crash interrupted when it starts again.

CREATE TABLE images (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    name               TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    status_message     TEXT,
    progress           TEXT,
    engine             TEXT    NOT NULL,
    requested_version  TEXT,
    engine_version     TEXT,
    source_type        TEXT    NOT NULL,
    database_name      TEXT,
    superuser_password TEXT    NOT NULL,
    volume             TEXT    NOT NULL,
    size_bytes         INTEGER,
    owner              TEXT    NOT NULL,
    definition         TEXT    NOT NULL,
    source_directory   TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    ready_at           TEXT,
    expires_at         TEXT
);

CREATE INDEX images_by_name ON images (name);

CREATE TABLE image_tags (
    image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (image_id, tag)
);

CREATE TABLE image_teams (
    image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    team     TEXT    NOT NULL,
    PRIMARY KEY (image_id, team)
);

CREATE TABLE containers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE,
    image_id       INTEGER NOT NULL REFERENCES images (id),
    status         TEXT    NOT NULL,
    status_message TEXT,
    engine         TEXT    NOT NULL,
    engine_version TEXT    NOT NULL,
    host           TEXT    NOT NULL,
    port           INTEGER NOT NULL UNIQUE,
    user_name      TEXT    NOT NULL,
    password       TEXT    NOT NULL,
    database_name  TEXT    NOT NULL,
    volume         TEXT    NOT NULL,
    revision       TEXT    NOT NULL,
    owner          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT
);

-- Access tokens are stored as SHA-256 hashes only: a token is 256 random bits, so a fast hash is enough.
CREATE TABLE access_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT    NOT NULL UNIQUE,
    user_name    TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT
);
