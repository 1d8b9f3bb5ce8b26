-- Idle stop: a container's server is stopped after idle_stop_seconds with no client connection (NULL: never), and
-- woken by the next connection to its port. stopped_by says why a STOPPED container's server is not running on
-- purpose ('idle' or 'request'); NULL for a container that is running, or stopped because it could not start. While
-- it is set, the daemon holds the container's port and starts the server on the first connection.
ALTER TABLE containers ADD COLUMN idle_stop_seconds INTEGER;
ALTER TABLE containers ADD COLUMN stopped_by TEXT;
