-- Routes: a stable port the daemon listens on and relays to a container. A route outlives its container: when the
-- container is deleted the route stays, pointing nowhere (container_id NULL), until it is pointed elsewhere.
CREATE TABLE routes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    port         INTEGER NOT NULL UNIQUE,
    container_id INTEGER REFERENCES containers (id) ON DELETE SET NULL,
    owner        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);

-- Shared containers: members of these teams see the container and get its connection details; only its owner and
-- administrators change or delete it.
CREATE TABLE container_teams (
    container_id INTEGER NOT NULL REFERENCES containers (id) ON DELETE CASCADE,
    team         TEXT    NOT NULL,
    PRIMARY KEY (container_id, team)
);
