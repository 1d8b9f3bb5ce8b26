package dev.dolly.core.image;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.Upload;
import dev.dolly.core.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadsTest
{
    @TempDir
    Path directory;

    private MutableClock clock;
    private Uploads uploads;

    @BeforeEach
    void setUp()
    {
        clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        uploads = new Uploads(directory.resolve("uploads"), clock);
        uploads.removeLeftovers();
    }

    @Test
    void extractsFilesForTheirOwnerOnce()
            throws Exception
    {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("backups/dump.sql", "create table t (id int);");
        files.put("sql/schema/1.sql", "select 1;");
        byte[] zip = zip(files);

        Upload upload = uploads.receive(new ByteArrayInputStream(zip), 33, "alice");

        assertThat(upload.files()).isEqualTo(2);
        assertThat(upload.sizeBytes()).isEqualTo(33);
        assertThat(upload.id()).matches("[0-9a-f]{32}");
        assertThatThrownBy(() -> uploads.claim(upload.id(), "bob"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
        Path staging = uploads.claim(upload.id(), "alice");
        assertThat(staging).isEqualTo(directory.resolve("uploads").resolve(upload.id()));
        assertThat(Files.readString(staging.resolve("backups/dump.sql"))).isEqualTo("create table t (id int);");
        assertThat(Files.readString(staging.resolve("sql/schema/1.sql"))).isEqualTo("select 1;");
        assertThatThrownBy(() -> uploads.claim(upload.id(), "alice"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.IN_USE));

        uploads.delete(upload.id());
        assertThat(staging).doesNotExist();
    }

    @Test
    void refusesEntriesThatLeaveTheStagingDirectory()
            throws Exception
    {
        for (String name : new String[] {"../escape.sql", "/etc/escape.sql", "a/../../escape.sql", "a/./b.sql", "a//b.sql", "..", "a\\..\\b.sql", "a/\0/b.sql", "\0"}) {
            byte[] zip = zip(Map.of(name, "select 1;"));
            assertThatThrownBy(() -> uploads.receive(new ByteArrayInputStream(zip), 100, "alice"))
                    .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                    .hasMessage("The upload entry '" + name.replace("\0", "\\0") + "' is not a plain relative path (no '..', no absolute paths): refused.");
        }
        assertThat(directory.resolve("escape.sql")).doesNotExist();
        assertThat(directory.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void refusesMoreBytesThanDeclared()
            throws Exception
    {
        byte[] zip = zip(Map.of("dump.sql", "x".repeat(1000)));

        assertThatThrownBy(() -> uploads.receive(new ByteArrayInputStream(zip), 999, "alice"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessage("The upload holds more than the 999 bytes it declared: refused.");
        assertThat(directory.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void refusesRepeatedEntriesAndBrokenStreams()
            throws Exception
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("dump.sql"));
            zip.write("one".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            // ZipOutputStream refuses duplicates by name; a differently spelled directory entry reaches the same file
            zip.putNextEntry(new ZipEntry("dump.sql/"));
            zip.closeEntry();
        }
        assertThatThrownBy(() -> uploads.receive(new ByteArrayInputStream(bytes.toByteArray()), 100, "alice"))
                .isInstanceOf(DollyException.class);

        byte[] whole = zip(Map.of("dump.sql", "x".repeat(10_000)));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> uploads.receive(new ByteArrayInputStream(truncated), 10_000, "alice"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT));
        assertThat(directory.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void readsTheBodyToItsEndBeforeAnsweringAndRefusesAHugeTrailer()
            throws Exception
    {
        // the central directory follows the entries: an answer sent before it is read can be lost to a reset
        TrickleInputStream body = new TrickleInputStream(zip(Map.of("a.sql", "select 1;")));
        uploads.receive(body, 9, "alice");
        assertThat(body.endReached).isTrue();

        // positive control: the same archive with a trailer of 64 MiB and one byte is refused, and leaves nothing
        InputStream trailer = new InputStream()
        {
            private long left = (64L << 20) + 1;

            @Override
            public int read()
            {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
            {
                if (left <= 0) {
                    return -1;
                }
                int read = (int) Math.min(length, left);
                left -= read;
                return read;
            }
        };
        InputStream hugeTrailer = new SequenceInputStream(new ByteArrayInputStream(zip(Map.of("a.sql", "select 1;"))), trailer);
        assertThatThrownBy(() -> uploads.receive(hugeTrailer, 9, "alice"))
                .isInstanceOfSatisfying(DollyException.class, exception -> assertThat(exception.errorCode()).isEqualTo(ErrorCode.BAD_INPUT))
                .hasMessageContaining("after its last entry");
        try (var left = Files.list(directory.resolve("uploads"))) {
            assertThat(left.count()).isEqualTo(1);
        }
    }

    @Test
    void removesUnclaimedUploadsAndLeftovers()
            throws Exception
    {
        Upload unclaimed = uploads.receive(new ByteArrayInputStream(zip(Map.of("a.sql", "select 1;"))), 9, "alice");
        Upload claimed = uploads.receive(new ByteArrayInputStream(zip(Map.of("b.sql", "select 2;"))), 9, "alice");
        uploads.claim(claimed.id(), "alice");

        clock.advance(Duration.ofMinutes(59));
        uploads.deleteUnclaimed();
        assertThat(uploads.exists(unclaimed.id())).isTrue();

        clock.advance(Duration.ofMinutes(2));
        uploads.deleteUnclaimed();
        assertThat(uploads.exists(unclaimed.id())).isFalse();
        assertThat(uploads.exists(claimed.id())).isTrue();

        // a daemon that starts removes what an earlier one left
        new Uploads(directory.resolve("uploads"), clock).removeLeftovers();
        assertThat(directory.resolve("uploads")).isEmptyDirectory();
    }

    /** A body arriving a few bytes at a time, as it does from a network; remembers whether its end was read. */
    private static final class TrickleInputStream
            extends ByteArrayInputStream
    {
        boolean endReached;

        TrickleInputStream(byte[] bytes)
        {
            super(bytes);
        }

        @Override
        public synchronized int read()
        {
            int read = super.read();
            endReached |= read < 0;
            return read;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length)
        {
            int read = super.read(buffer, offset, Math.min(length, 16));
            endReached |= read < 0;
            return read;
        }
    }

    private static byte[] zip(Map<String, String> files)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
