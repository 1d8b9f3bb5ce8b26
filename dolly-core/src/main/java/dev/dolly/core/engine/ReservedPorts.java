package dev.dolly.core.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the kernel from handing container ports to outgoing connections. Linux gives every outgoing connection
 * without a port of its own one of its ephemeral range ({@code net.ipv4.ip_local_port_range}), and a server cannot
 * listen on a port an outgoing connection holds; the kernel skips the ports of {@code net.ipv4.ip_local_reserved_ports}
 * there, which servers can still listen on. As root, the daemon adds its container port range to those.
 */
public final class ReservedPorts
{
    private static final Logger LOG = LoggerFactory.getLogger(ReservedPorts.class);
    private static final Path RESERVED_PORTS = Path.of("/proc/sys/net/ipv4/ip_local_reserved_ports");
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private final Path reservedPortsFile;
    private final Path ephemeralRangeFile;

    public ReservedPorts()
    {
        this(RESERVED_PORTS, EPHEMERAL_RANGE);
    }

    ReservedPorts(Path reservedPortsFile, Path ephemeralRangeFile)
    {
        this.reservedPortsFile = requireNonNull(reservedPortsFile, "reservedPortsFile is null");
        this.ephemeralRangeFile = requireNonNull(ephemeralRangeFile, "ephemeralRangeFile is null");
    }

    /**
     * Reserves {@code first}-{@code last} from the ephemeral range when {@code reserve} is set and the daemon may
     * (root), keeping the ports reserved already; warns when the range stays exposed.
     *
     * @return what was done, for {@code dolly info}
     */
    public String reserve(int first, int last, boolean reserve, boolean root)
    {
        String range = first + "-" + last;
        Optional<String> reserved = read(reservedPortsFile);
        if (reserved.isPresent() && covers(reserved.get(), first, last)) {
            return range + ", reserved from outgoing connections (net.ipv4.ip_local_reserved_ports)";
        }
        Optional<String> ephemeral = read(ephemeralRangeFile);
        boolean overlaps = ephemeral.map(value -> overlaps(value, first, last)).orElse(false);
        if (!overlaps) {
            return range + ", outside the ephemeral range of outgoing connections";
        }
        String advice = "run: sysctl -w net.ipv4.ip_local_reserved_ports=" + withRange(reserved.orElse(""), first, last)
                + ", or choose DOLLY_CONTAINER_PORTS below the ephemeral range " + ephemeral.get().strip().replaceAll("\\s+", "-");
        if (reserve && root && reserved.isPresent()) {
            try {
                Files.writeString(reservedPortsFile, withRange(reserved.get(), first, last));
                LOG.info("Reserved the container ports {} from outgoing connections in net.ipv4.ip_local_reserved_ports (now {})", range,
                        read(reservedPortsFile).orElse("?"));
                return range + ", reserved from outgoing connections by the daemon (net.ipv4.ip_local_reserved_ports)";
            }
            catch (IOException e) {
                LOG.warn("Could not reserve the container ports {} from outgoing connections ({}): an outgoing connection can take a container's port; {}",
                        range, e.getMessage(), advice);
                return range + ", not reserved (" + e.getMessage() + "): outgoing connections can take them; " + advice;
            }
        }
        String why = reserve ? "the daemon does not run as root" : "DOLLY_RESERVE_CONTAINER_PORTS=false";
        LOG.warn("The container ports {} lie in the ephemeral range of outgoing connections and are not reserved ({}): an outgoing connection can take a "
                + "container's port; {}", range, why, advice);
        return range + ", not reserved (" + why + "): outgoing connections can take them; " + advice;
    }

    /** The reservations {@code reserved} (comma-separated ports and ranges) with {@code first}-{@code last} added. */
    static String withRange(String reserved, int first, int last)
    {
        String kept = reserved.strip();
        return (kept.isEmpty() ? "" : kept + ",") + first + "-" + last;
    }

    /** Whether the reservations {@code reserved} hold every port of {@code first}-{@code last}. */
    static boolean covers(String reserved, int first, int last)
    {
        BitSet ports = new BitSet(65536);
        for (String part : reserved.strip().split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            String[] bounds = item.split("-");
            try {
                int low = Integer.parseInt(bounds[0].strip());
                int high = bounds.length > 1 ? Integer.parseInt(bounds[1].strip()) : low;
                ports.set(low, high + 1);
            }
            catch (NumberFormatException | IndexOutOfBoundsException e) {
                return false;
            }
        }
        return ports.nextClearBit(first) > last;
    }

    private static boolean overlaps(String ephemeralRange, int first, int last)
    {
        String[] bounds = ephemeralRange.strip().split("\\s+");
        try {
            return first <= Integer.parseInt(bounds[1]) && last >= Integer.parseInt(bounds[0]);
        }
        catch (NumberFormatException | IndexOutOfBoundsException e) {
            return true;
        }
    }

    private static Optional<String> read(Path file)
    {
        // not Files.readString, which reads a file of /proc (of size 0 to stat) short
        try (InputStream input = Files.newInputStream(file)) {
            return Optional.of(new String(input.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }
}
