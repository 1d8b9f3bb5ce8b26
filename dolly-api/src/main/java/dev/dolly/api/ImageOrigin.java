package dev.dolly.api;

/**
 * Where an image made from a container's revision ("graduated") came from, by name: the container and its revisions
 * may be deleted since, the image does not need them.
 *
 * @param container the container's name
 * @param revision the revision, such as {@code rev.2}
 * @param image the name of the image the container was created from
 */
public record ImageOrigin(
        String container,
        String revision,
        String image) {}
