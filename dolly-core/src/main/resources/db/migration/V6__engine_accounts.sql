-- The account (UID, and GID of the same number) whose files a container's or an image's volume holds and whose
-- processes work on it, when the daemon runs as root; NULL when engines run as the daemon's own user, and for a
-- failed build, whose account is freed. An ID is in use while any row records it: a graduated image keeps the ID
-- of the container whose files it holds.
ALTER TABLE containers ADD COLUMN engine_uid INTEGER;
ALTER TABLE images ADD COLUMN engine_uid INTEGER;
CREATE INDEX containers_by_engine_uid ON containers (engine_uid);
CREATE INDEX images_by_engine_uid ON images (engine_uid);
