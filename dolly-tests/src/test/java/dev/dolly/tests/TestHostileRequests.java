package dev.dolly.tests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dolly.api.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Throws malformed JSON, hostile YAML (billion laughs, deep nesting) and hostile ZIP uploads (zip bombs, {@code ../}
 * and absolute entries, symbolic links, truncated archives, huge declared sizes) at a real daemon over real HTTP for
 * a while, and checks that each answer is a 4xx (an upload that happens to be a valid ZIP may be taken: 201), never a
 * 5xx and never a hang, that the daemon keeps running and answering, and that nothing is left in its uploads but
 * what it took, and nothing outside them.
 *
 * <p>{@code -Ddolly.fuzz.seconds=N} (default 60) sets how long it runs; the seed is printed and taken back with
 * {@code -Ddolly.fuzz.seed=S} to replay a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestHostileRequests
{
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ESCAPE_MARKER = "dolly-fuzz-escaped";

    private DaemonProcess daemon;
    private HttpClient client;
    private URI api;
    private String token;
    private Path definitionDirectory;

    @BeforeAll
    void startDaemon()
            throws Exception
    {
        daemon = DaemonProcess.withNewHome(Map.of()).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        api = URI.create(daemon.address().url() + "/api/v1/");
        token = daemon.adminToken();
        definitionDirectory = Files.createDirectories(daemon.home().getParent().resolve("definitions"));
    }

    @AfterAll
    void stopDaemon()
            throws Exception
    {
        if (client != null) {
            client.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private long uploadDirectories()
            throws IOException
    {
        try (Stream<Path> uploads = Files.list(daemon.home().resolve("uploads"))) {
            return uploads.count();
        }
    }

    @Test
    void everyHostileRequestIsRefusedAndTheDaemonKeepsAnswering()
            throws Exception
    {
        long seed = Long.getLong("dolly.fuzz.seed", new Random().nextLong());
        Duration duration = Duration.ofSeconds(Long.getLong("dolly.fuzz.seconds", 60));
        System.out.println("TestHostileRequests: seed " + seed + " (-Ddolly.fuzz.seed=" + seed + " replays it), running for " + duration.toSeconds() + " s");
        Random random = new Random(seed);
        Map<String, Integer> statuses = new TreeMap<>();
        int acceptedUploads = 0;
        int requests = 0;
        Instant end = Instant.now().plus(duration);
        while (Instant.now().isBefore(end)) {
            Hostile request = switch (random.nextInt(3)) {
                case 0 -> malformedJson(random);
                case 1 -> hostileYaml(random);
                default -> hostileUpload(random);
            };
            int status = send(request, seed);
            requests++;
            statuses.merge(request.kind() + " " + status, 1, Integer::sum);
            if (request.path().startsWith("uploads") && status == 201) {
                acceptedUploads++;
                continue;
            }
            assertThat(status).as("%s (seed %d): %s", request.kind(), seed, request.describe()).isBetween(400, 499);
        }
        System.out.println("TestHostileRequests: " + requests + " requests, answers " + statuses);

        assertThat(requests).isGreaterThan(10);
        // the daemon runs and answers
        HttpResponse<String> info = client.send(authorized(HttpRequest.newBuilder(api.resolve("info"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).isEqualTo(200);
        String log = daemon.log();
        assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("StackOverflowError").doesNotContainPattern("Request (GET|POST|PATCH|DELETE) \\S+ failed");
        // nothing left in the uploads but what was taken, and nothing escaped them
        // a refusal may be answered while the request's thread is still removing what it staged: allow it a moment
        long uploadsLeft = uploadDirectories();
        for (int wait = 0; wait < 50 && uploadsLeft != acceptedUploads; wait++) {
            Thread.sleep(100);
            uploadsLeft = uploadDirectories();
        }
        assertThat(uploadsLeft).isEqualTo(acceptedUploads);
        try (Stream<Path> below = Files.walk(daemon.home().getParent()); Stream<Path> temporary = Files.list(Path.of("/tmp"))) {
            assertThat(Stream.concat(below, temporary).filter(path -> path.getFileName() != null && path.getFileName().toString().contains(ESCAPE_MARKER)
                    && !path.startsWith(daemon.home().resolve("uploads")))).isEmpty();
        }
        try (Stream<Path> paths = Files.walk(daemon.home().resolve("uploads"))) {
            assertThat(paths.filter(path -> Files.isSymbolicLink(path) || (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))))
                    .isEmpty();
        }
    }

    /** A request and what it tries. */
    @SuppressWarnings("ArrayRecordComponent") // built once, sent once
    private record Hostile(String kind, String method, String path, String contentType, byte[] body)
    {
        String describe()
        {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
            return method + " " + path + " (" + body.length + " bytes: " + text.replaceAll("[^\\x20-\\x7e]", "?") + ")";
        }
    }

    private int send(Hostile request, long seed)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder builder = authorized(HttpRequest.newBuilder(api.resolve(request.path())))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", request.contentType())
                .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (HttpTimeoutException e) {
            return fail("No answer within %s s to %s (seed %d)", REQUEST_TIMEOUT.toSeconds(), request.describe(), seed);
        }
        catch (IOException e) {
            // the daemon may close the connection after refusing a body it would not read: it must still be alive
            assertThat(daemon.isAlive()).as("daemon alive after %s (seed %d)", request.describe(), seed).isTrue();
            return client.send(authorized(HttpRequest.newBuilder(api.resolve("info"))).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                    ? 400
                    : fail("The daemon stopped answering after %s (seed %d): %s", request.describe(), seed, e);
        }
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder)
    {
        return builder.header("Authorization", "Bearer " + token);
    }

    // ---- malformed JSON for every route that reads one

    private static final List<String> JSON_ROUTES = List.of(
            "POST sessions", "POST users", "POST teams", "POST teams/developers/members", "POST access-tokens", "POST images",
            "PATCH images/x", "POST containers", "PATCH containers/x", "POST containers/x/load", "POST containers/x/graduate", "POST storage");

    private static Hostile malformedJson(Random random)
    {
        String[] route = JSON_ROUTES.get(random.nextInt(JSON_ROUTES.size())).split(" ");
        byte[] body = switch (random.nextInt(8)) {
            case 0 -> randomBytes(random, random.nextInt(2000));
            case 1 -> truncated(random, "{\"image\":\"chinook\",\"name\":\"c\",\"lifetime\":\"7d\",\"tags\":[\"a\",\"b\"]}");
            case 2 -> "[".repeat(50_000 + random.nextInt(200_000)).getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"a\":".repeat(20_000 + random.nextInt(50_000)) + "1").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"image\":" + "9".repeat(1 + random.nextInt(100_000)) + ",\"lifetime\":" + "1e99999" + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> ("{\"image\":[1,{}],\"name\":{\"x\":null},\"lifetime\":[\"" + randomText(random, 50) + "\"],\"tags\":\"x\",\"teams\":7,"
                    + "\"revision\":{},\"userName\":[],\"password\":false,\"fileSystem\":1,\"sizeBytes\":\"-1\"}").getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"lifetime\":\"" + random.nextLong(Long.MAX_VALUE) + "d\",\"image\":\"x\",\"name\":\"" + randomText(random, 300) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            default -> ("\"" + "\\u0000\\ud800".repeat(1 + random.nextInt(10_000)) + "\"").getBytes(StandardCharsets.UTF_8);
        };
        return new Hostile("json", route[0], route[1], "application/json", body);
    }

    // ---- hostile image definitions: the YAML of POST /api/v1/images

    private Hostile hostileYaml(Random random)
    {
        String yaml = switch (random.nextInt(7)) {
            case 0 -> billionLaughs(random);
            case 1 -> "fuzz: " + "[".repeat(10_000 + random.nextInt(100_000));
            case 2 -> "fuzz:\n" + deepMapping(500 + random.nextInt(5_000));
            case 3 -> "fuzz: &a [*a, *a]\nname: *a\n";
            // the unknown key first: a cut anywhere leaves a definition that is refused, where one naming a file of the
            // daemon's machine, which the local administrator sending it may do, would be taken (202) and fail in its build
            case 4 -> new String(truncated(random, """
                    fuzz: 1
                    name: widgets
                    sourceType: backup
                    engine: postgresql
                    version: 16
                    backup:
                      folder: ../../../../etc/
                      file: shadow
                    lifetime: 400000000000d
                    """), StandardCharsets.UTF_8);
            case 5 -> "name: widgets\nsourceType: empty\nengine: postgresql\nlifetime: " + random.nextLong(Long.MAX_VALUE) + "d\nfuzz: !!java.lang.Runtime {}\n";
            default -> new String(randomBytes(random, random.nextInt(5_000)), StandardCharsets.ISO_8859_1);
        };
        ObjectNode request = Json.json().createObjectNode();
        request.put("definition", yaml);
        request.put("sourceDirectory", definitionDirectory.toString());
        if (random.nextBoolean()) {
            request.put("lifetime", random.nextBoolean() ? "400000000000d" : randomText(random, 20));
        }
        try {
            return new Hostile("yaml", "POST", "images", "application/json", Json.json().writeValueAsBytes(request));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The billion laughs: each level's list holds the one before ten times. */
    private static String billionLaughs(Random random)
    {
        StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        int levels = 9 + random.nextInt(20);
        for (int level = 1; level <= levels; level++) {
            yaml.append('a').append(level).append(": &a").append(level).append(" [");
            for (int copy = 0; copy < 10; copy++) {
                yaml.append(copy == 0 ? "" : ",").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }
        return yaml.append("name: *a").append(levels).append('\n').toString();
    }

    private static String deepMapping(int depth)
    {
        StringBuilder yaml = new StringBuilder();
        for (int level = 0; level < depth; level++) {
            yaml.append(" ".repeat(level + 1)).append("k").append(level).append(":\n");
        }
        return yaml.append(" ".repeat(depth + 1)).append("end\n").toString();
    }

    // ---- hostile uploads

    private Hostile hostileUpload(Random random)
    {
        int kind = random.nextInt(9);
        byte[] zip;
        long declared;
        switch (kind) {
            case 0 -> {
                // a zip bomb: 200 MB of zeros in a few hundred KB, declaring a little
                zip = zip(List.of(new Entry("bomb.sql", null, 200L * 1024 * 1024)));
                declared = 1L + random.nextInt(1_000_000);
            }
            case 1 -> {
                zip = zip(List.of(new Entry(escapingName(random), "escaped".getBytes(StandardCharsets.UTF_8), 0)));
                declared = 1000;
            }
            case 2 -> {
                zip = symlinkZip("/etc/shadow");
                declared = 1000;
            }
            case 3 -> {
                byte[] whole = zip(List.of(new Entry("a.sql", randomBytes(random, 50_000), 0), new Entry("b.sql", randomBytes(random, 50_000), 0)));
                zip = java.util.Arrays.copyOf(whole, random.nextInt(whole.length));
                declared = 200_000;
            }
            case 4 -> {
                zip = zip(List.of(new Entry("a.sql", "select 1;".getBytes(StandardCharsets.UTF_8), 0)));
                declared = random.nextBoolean() ? Long.MAX_VALUE : (1L << 50) + random.nextInt(1000);
            }
            case 5 -> {
                zip = zip(List.of(new Entry("twice.sql", "select 1;".getBytes(StandardCharsets.UTF_8), 0),
                        new Entry("twice.sql", "select 2;".getBytes(StandardCharsets.UTF_8), 0)));
                declared = 1000;
            }
            case 6 -> {
                zip = zip(List.of(new Entry("x".repeat(300 + random.nextInt(5000)) + ".sql", "select 1;".getBytes(StandardCharsets.UTF_8), 0)));
                declared = 1000;
            }
            case 7 -> {
                zip = randomBytes(random, random.nextInt(100_000));
                declared = random.nextInt(200_000);
            }
            default -> {
                zip = zip(List.of(new Entry("ok/" + ESCAPE_MARKER + "-inside.sql", "select 1;".getBytes(StandardCharsets.UTF_8), 0)));
                declared = random.nextBoolean() ? -1 - random.nextInt(100) : 1000;
            }
        }
        String query = kind == 8 && declared > 0 && random.nextBoolean() ? "" : "?size=" + declared;
        return new Hostile("zip", "POST", "uploads" + query, "application/zip", zip);
    }

    private static String escapingName(Random random)
    {
        return switch (random.nextInt(6)) {
            case 0 -> "../" + ESCAPE_MARKER;
            case 1 -> "a/../../" + ESCAPE_MARKER;
            case 2 -> "/tmp/" + ESCAPE_MARKER;
            case 3 -> "..\\..\\" + ESCAPE_MARKER;
            case 4 -> "./../" + ESCAPE_MARKER + "/x";
            default -> "a/\0/" + ESCAPE_MARKER;
        };
    }

    @SuppressWarnings("ArrayRecordComponent") // built once, written once
    private record Entry(String name, byte[] content, long zeros) {}

    private static byte[] zip(List<Entry> entries)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            java.util.Set<String> written = new java.util.HashSet<>();
            for (Entry entry : entries) {
                // ZipOutputStream refuses to write a name twice: the second one is written under a stand-in, patched below
                String name = written.add(entry.name()) ? entry.name() : entry.name().replace('t', 'T');
                zip.putNextEntry(new ZipEntry(name));
                if (entry.content() != null) {
                    zip.write(entry.content());
                }
                byte[] zeros = new byte[1 << 20];
                for (long left = entry.zeros(); left > 0; left -= zeros.length) {
                    zip.write(zeros, 0, (int) Math.min(left, zeros.length));
                }
                zip.closeEntry();
            }
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] result = bytes.toByteArray();
        // the stand-in name back to the duplicate (same length): a ZIP stream holding one name twice
        String text = new String(result, StandardCharsets.ISO_8859_1).replace("Twice.sql", "twice.sql");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A ZIP entry that is a symbolic link as Info-ZIP stores one: Unix mode 0120777 in the central directory, the target as content. */
    private static byte[] symlinkZip(String target)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            byte[] content = target.getBytes(StandardCharsets.UTF_8);
            ZipEntry entry = new ZipEntry(ESCAPE_MARKER + "-link");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(content);
            zip.closeEntry();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] result = bytes.toByteArray();
        // version made by: Unix (3); external attributes: the link's mode in the upper 16 bits
        String text = new String(result, StandardCharsets.ISO_8859_1);
        int central = text.indexOf("PK\u0001\u0002");
        result[central + 5] = 3;
        int mode = 0120777 << 16;
        for (int index = 0; index < 4; index++) {
            result[central + 38 + index] = (byte) (mode >>> (8 * index));
        }
        return result;
    }

    // ---- helpers

    private static byte[] randomBytes(Random random, int size)
    {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] truncated(Random random, String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
    }

    private static String randomText(Random random, int length)
    {
        StringBuilder text = new StringBuilder();
        for (int index = 0; index < length; index++) {
            text.append((char) (random.nextInt(0xd7ff - 1) + 1));
        }
        return text.toString();
    }
}
