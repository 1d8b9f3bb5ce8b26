-- Warm pools: an image may keep pool_size containers started and idle, owned by nobody, which a creation from the
-- image takes (its name, owner, password and lifetime set) instead of cloning and starting one. A pool container is
-- a container row with pooled = 1 and an empty owner: no user lists it, no quota counts it, no lifetime reaps it.
-- Taking one is a conditional update of this flag, so two creations never get the same container.
ALTER TABLE images ADD COLUMN pool_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE containers ADD COLUMN pooled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX containers_by_image ON containers (image_id, pooled, status);
