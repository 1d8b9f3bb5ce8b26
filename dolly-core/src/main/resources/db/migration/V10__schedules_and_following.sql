-- Scheduled image builds. A schedule keeps its definition, and either the files of an upload (below
-- DOLLY_HOME/schedules/<id>) or, made by the local administrator, a directory on the daemon's machine that every run
-- reads. The next run is computed from the cron expression and the time of the last one (or of the creation); a run
-- is the build of one image (running_image_id while it goes), whose outcome is recorded when it ends.
CREATE TABLE schedules (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    owner            TEXT    NOT NULL,
    cron             TEXT    NOT NULL,
    time_zone        TEXT    NOT NULL,
    definition       TEXT    NOT NULL,
    source_directory TEXT,
    image_name       TEXT    NOT NULL,
    tags             TEXT    NOT NULL,
    lifetime         TEXT,
    keep             INTEGER,
    created_at       TEXT    NOT NULL,
    last_fired_at    TEXT,
    running_image_id INTEGER,
    last_run_at      TEXT,
    last_image_id    INTEGER,
    last_result      TEXT,
    last_message     TEXT
);

-- The schedule that built an image, for --keep; NULL for every other image.
ALTER TABLE images ADD COLUMN schedule_id INTEGER;

-- Containers that follow a tag: recreated on the image the tag moves to, at the next refresh time ('HH:MM' in the
-- daemon's time zone, or 'now') after the container noticed the move (noticed_image_id, noticed_at). message: how the
-- last refresh went; failed_image_id: the image a refresh failed on, not tried again until the tag moves on.
CREATE TABLE container_following (
    container_id    INTEGER PRIMARY KEY REFERENCES containers (id) ON DELETE CASCADE,
    image_name      TEXT    NOT NULL,
    tag             TEXT    NOT NULL,
    refresh_at      TEXT    NOT NULL,
    refreshed_at    TEXT,
    message         TEXT,
    failed_image_id INTEGER,
    noticed_image_id INTEGER,
    noticed_at      TEXT
);
