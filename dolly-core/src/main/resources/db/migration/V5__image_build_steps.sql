-- How long each step of an image's build took, in the order they ran: written as each step ends, so that a build
-- in progress and a failed one show how far they got.
CREATE TABLE image_build_steps (
    image_id     INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    step         TEXT    NOT NULL,
    milliseconds INTEGER NOT NULL,
    PRIMARY KEY (image_id, position)
);
