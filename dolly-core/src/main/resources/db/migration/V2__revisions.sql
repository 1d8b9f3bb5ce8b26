-- Revisions: saved states of a container. They form a tree: each records the revision its container was on when
-- it was saved (0: the image). Numbers count up per container and are never given out twice.

ALTER TABLE containers ADD COLUMN last_revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE revisions (
    container_id INTEGER NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    parent       INTEGER NOT NULL,
    volume       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    size_bytes   INTEGER,
    PRIMARY KEY (container_id, number)
);

-- An image made from a revision ("graduated") records where it came from, by name: the container and its
-- revisions may be deleted, the image stays.
ALTER TABLE images ADD COLUMN origin_container TEXT;
ALTER TABLE images ADD COLUMN origin_revision TEXT;
ALTER TABLE images ADD COLUMN origin_image TEXT;
