package dev.dolly.api;

/**
 * Files a client sent the daemon ({@code POST /api/v1/uploads}), kept in a staging directory until an image build
 * names them ({@link CreateImageRequest#upload()}) and is over.
 *
 * @param id what a {@link CreateImageRequest} names it by; random, and valid for its owner only
 * @param files how many files it holds
 * @param sizeBytes the bytes of those files
 */
public record Upload(String id, int files, long sizeBytes) {}
