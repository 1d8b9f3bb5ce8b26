package dev.dolly.core.engine;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** One artifact of a Maven repository over HTTP, such as Maven Central; downloads are checked against its SHA-1. */
public final class HttpArtifactRepository
        implements ArtifactRepository
{
    private final URI baseUrl;
    private final String groupPath;
    private final String artifactId;
    private final String product;
    private final HttpClient client;

    /**
     * @param groupPath the artifact's group as a path, such as {@code io/zonky/test/postgres}
     * @param product what the jars hold, for progress messages, such as {@code PostgreSQL}
     */
    public HttpArtifactRepository(URI baseUrl, String groupPath, String artifactId, String product)
    {
        String base = requireNonNull(baseUrl, "baseUrl is null").toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.groupPath = requireNonNull(groupPath, "groupPath is null");
        this.artifactId = requireNonNull(artifactId, "artifactId is null");
        this.product = requireNonNull(product, "product is null");
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public String metadata()
            throws IOException
    {
        HttpResponse<String> response = send(artifactUri("maven-metadata.xml"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), Duration.ofSeconds(30));
        return response.body();
    }

    @Override
    public void download(String version, Path target, ProgressListener progress)
            throws IOException
    {
        String fileName = artifactId + "-" + version + ".jar";
        String expectedSha1 = send(artifactUri(version + "/" + fileName + ".sha1"), HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII), Duration.ofSeconds(30))
                .body().strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
        HttpResponse<InputStream> response = send(artifactUri(version + "/" + fileName), HttpResponse.BodyHandlers.ofInputStream(), Duration.ofMinutes(30));
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest digest = sha1();
        try (InputStream input = response.body(); OutputStream output = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            long done = 0;
            int reportedPercent = -1;
            int count;
            while ((count = input.read(buffer)) >= 0) {
                output.write(buffer, 0, count);
                digest.update(buffer, 0, count);
                done += count;
                if (length > 0) {
                    int percent = (int) (done * 100 / length) / 10 * 10;
                    if (percent != reportedPercent) {
                        reportedPercent = percent;
                        progress.progress("Downloading " + product + " " + version + ": " + percent + "% of " + megabytes(length));
                    }
                }
            }
        }
        String actualSha1 = HexFormat.of().formatHex(digest.digest());
        if (!actualSha1.equals(expectedSha1)) {
            throw new IOException("the download of " + fileName + " is corrupt (SHA-1 " + actualSha1 + ", expected " + expectedSha1 + ")");
        }
    }

    @Override
    public String location()
    {
        return baseUrl.toString();
    }

    private URI artifactUri(String file)
    {
        return baseUrl.resolve(groupPath + "/" + artifactId + "/" + file);
    }

    private <T> HttpResponse<T> send(URI uri, HttpResponse.BodyHandler<T> handler, Duration timeout)
            throws IOException
    {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "dolly").GET().build();
        HttpResponse<T> response;
        try {
            response = client.send(request, handler);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        if (response.statusCode() != 200) {
            if (response.body() instanceof InputStream stream) {
                stream.close();
            }
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
        return response;
    }

    private static String megabytes(long bytes)
    {
        return Math.max(1, Math.round(bytes / (1024.0 * 1024.0))) + " MB";
    }

    private static MessageDigest sha1()
    {
        try {
            return MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
