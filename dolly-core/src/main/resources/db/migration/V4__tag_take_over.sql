-- Tags are Docker-like: one image of a name holds a tag. An image takes the tags it asks for when it becomes
-- READY, so that a tag keeps naming the last good image while a new one builds, and a failed build takes none.
-- Until then its tags wait here with held = 0.

ALTER TABLE image_tags ADD COLUMN held INTEGER NOT NULL DEFAULT 1;

-- Tags of images that are not ready (being built, failed) are not held.
UPDATE image_tags SET held = 0 WHERE image_id IN (SELECT id FROM images WHERE status <> 'READY');

-- Catalogs made before this rule may have several images of a name holding a tag: the newest keeps it.
DELETE FROM image_tags
WHERE held = 1 AND EXISTS (
    SELECT 1 FROM image_tags AS newer
    JOIN images AS newer_image ON newer_image.id = newer.image_id
    JOIN images AS this_image ON this_image.id = image_tags.image_id
    WHERE newer.held = 1 AND newer.tag = image_tags.tag AND newer_image.name = this_image.name AND newer.image_id > image_tags.image_id);

CREATE INDEX image_tags_by_tag ON image_tags (tag);
