-- What the transform stage of an image's build did (rows kept per table, columns masked, the leak check), as the
-- JSON of dev.dolly.api.TransformReport. Never the salt.
CREATE TABLE image_transform_reports (
    image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
    report   TEXT    NOT NULL
);
