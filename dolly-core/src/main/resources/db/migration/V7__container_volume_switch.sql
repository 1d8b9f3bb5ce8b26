-- A load or reset clones the revision into a new volume beside the container's, then switches the container to it
-- in one update and removes the old volume. While it runs, the new volume and the revision it holds are recorded
-- here first, so that a daemon stopped half-way (a crash) knows which volume to remove: until the switch, the
-- container stays on its old volume and revision, after it on the new ones.
ALTER TABLE containers ADD COLUMN pending_volume TEXT;
ALTER TABLE containers ADD COLUMN pending_revision TEXT;
