package dev.dolly.core.image;

/**
 * The warm pools of images' containers, as the image service needs them: the container service keeps the pools
 * ({@code ContainerPools}) and hands them over once both services exist.
 */
public interface ImagePools
{
    /** No pools: nothing to fill or drain, for an image service without a container service. */
    ImagePools NONE = new ImagePools()
    {
        @Override
        public void fillSoon() {}

        @Override
        public void drain(long imageId) {}
    };

    /** Brings every pool to its size in the background: after a pool's size changed, or its image became ready. */
    void fillSoon();

    /**
     * Removes every container of an image's pool, for the image's deletion; the image is no longer READY, so no new
     * one is made meanwhile. Waits for a pool container of the image being made.
     */
    void drain(long imageId);
}
