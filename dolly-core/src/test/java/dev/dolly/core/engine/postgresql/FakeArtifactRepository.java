package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.ArtifactRepository;
import dev.dolly.core.engine.ProgressListener;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A repository that serves a version list and, for each version, a small jar whose {@code bin/postgres} is a shell
 * script that reports that version. When offline, it fails like an unreachable server.
 */
final class FakeArtifactRepository
        implements ArtifactRepository
{
    private final List<String> versions;
    private volatile boolean online = true;
    private final AtomicInteger metadataRequests = new AtomicInteger();
    private final AtomicInteger downloads = new AtomicInteger();

    FakeArtifactRepository(List<String> versions)
    {
        this.versions = List.copyOf(versions);
    }

    static FakeArtifactRepository offline()
    {
        FakeArtifactRepository repository = new FakeArtifactRepository(List.of());
        repository.online = false;
        return repository;
    }

    void goOffline()
    {
        online = false;
    }

    int metadataRequests()
    {
        return metadataRequests.get();
    }

    int downloads()
    {
        return downloads.get();
    }

    @Override
    public String metadata()
            throws IOException
    {
        metadataRequests.incrementAndGet();
        checkOnline();
        StringBuilder xml = new StringBuilder("<metadata><versioning><versions>\n");
        for (String version : versions) {
            xml.append("  <version>").append(version).append("</version>\n");
        }
        return xml.append("</versions></versioning></metadata>\n").toString();
    }

    @Override
    public void download(String version, Path target, ProgressListener progress)
            throws IOException
    {
        checkOnline();
        if (!versions.contains(version)) {
            throw new IOException("HTTP 404");
        }
        downloads.incrementAndGet();
        progress.progress("Downloading PostgreSQL " + version + ": 100% of 1 MB");
        writeJar(version, target);
    }

    @Override
    public String location()
    {
        return "https://repository.invalid/maven2/";
    }

    private void checkOnline()
            throws IOException
    {
        if (!online) {
            throw new IOException("repository.invalid: Name or service not known");
        }
    }

    static void writeJar(String version, Path target)
            throws IOException
    {
        String reported = version.replaceFirst("\\.0(-\\d+)?$", "").replaceFirst("-\\d+$", "");
        ByteArrayOutputStream txz = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(txz))) {
            directory(tar, "bin/");
            file(tar, "bin/postgres", 0755, "#!/bin/sh\necho 'postgres (PostgreSQL) " + reported + "'\n");
            file(tar, "bin/initdb", 0700, "#!/bin/sh\nexit 1\n");
            directory(tar, "lib/");
            file(tar, "lib/libpq.so.5.14", 0644, "not a library");
            TarArchiveEntry link = new TarArchiveEntry("lib/libpq.so.5", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("libpq.so.5.14");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            file(tar, "share/postgresql/postgres.bki", 0600, "catalog");
        }
        try (OutputStream output = Files.newOutputStream(target); ZipOutputStream jar = new ZipOutputStream(output)) {
            jar.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            jar.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            jar.putNextEntry(new ZipEntry("postgres-linux-x86_64.txz"));
            jar.write(txz.toByteArray());
            jar.closeEntry();
        }
    }

    private static void directory(TarArchiveOutputStream tar, String name)
            throws IOException
    {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040700);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, String content)
            throws IOException
    {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }
}
