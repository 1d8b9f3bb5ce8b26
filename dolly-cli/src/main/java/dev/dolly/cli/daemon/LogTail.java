package dev.dolly.cli.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a log file that may have grown large over many runs. */
final class LogTail
{
    private static final int MAXIMUM_BYTES = 64 * 1024;

    private LogTail() {}

    static List<String> lastLines(Path file, int count)
            throws IOException
    {
        byte[] bytes;
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long start = Math.max(0, channel.size() - MAXIMUM_BYTES);
            channel.position(start);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            bytes = buffer.array();
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
