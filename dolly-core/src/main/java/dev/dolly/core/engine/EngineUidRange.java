package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The numeric user and group IDs that engine accounts are allocated from ({@code DOLLY_ENGINE_UIDS}): one ID per
 * container and per image build, used as both its UID and its GID. No account of the system may use them, so the
 * range is checked against {@code /etc/passwd}, {@code /etc/group}, the subordinate ranges of user namespaces
 * ({@code /etc/subuid}, {@code /etc/subgid}) and systemd's range for dynamic users before the daemon uses it.
 */
public record EngineUidRange(int first, int last)
{
    public static final String VARIABLE = "DOLLY_ENGINE_UIDS";
    public static final EngineUidRange DEFAULT = new EngineUidRange(2_000_000_000, 2_000_099_999);

    /** systemd's DynamicUser= range (61184-65519), and nobody (65534). */
    private static final List<Reserved> RESERVED = List.of(
            new Reserved(61184, 65519, "systemd's range for dynamic users (DynamicUser=)"),
            new Reserved(65534, 65534, "the 'nobody' ID"));
    /** Below this, IDs are the system's own accounts, whether listed in /etc/passwd or not. */
    private static final int LOWEST = 1000;

    public EngineUidRange
    {
        if (first < LOWEST || last < first) {
            throw new IllegalArgumentException("not a range of unprivileged IDs: " + first + "-" + last);
        }
    }

    /** Reads {@code FIRST-LAST}, such as {@code 2000000000-2000099999}. */
    public static EngineUidRange parse(String text)
    {
        String[] bounds = text.strip().split("-", -1);
        if (bounds.length != 2) {
            throw DollyException.badInput(VARIABLE + " '" + text + "' must be a range of numeric IDs such as " + DEFAULT + ".");
        }
        long first = id(bounds[0], text);
        long last = id(bounds[1], text);
        if (first < LOWEST || last < first) {
            throw DollyException.badInput(VARIABLE + " '" + text + "' must be a non-empty range of IDs from " + LOWEST + " up, such as " + DEFAULT
                    + ": lower IDs belong to the system's own accounts.");
        }
        return new EngineUidRange((int) first, (int) last);
    }

    public int size()
    {
        return last - first + 1;
    }

    public boolean contains(int id)
    {
        return id >= first && id <= last;
    }

    /**
     * Refuses a range that an account, a group or a subordinate range of the system uses, naming the clash. Files
     * that do not exist hold no clash.
     */
    public void checkUnused(Path passwd, Path group, Path subuid, Path subgid)
    {
        for (Reserved reserved : RESERVED) {
            if (overlaps(reserved.first(), reserved.last())) {
                throw clash(reserved.description() + ", " + reserved.first() + (reserved.first() == reserved.last() ? "" : "-" + reserved.last()));
            }
        }
        checkAccounts(passwd, "user", 2);
        checkAccounts(passwd, "primary group of user", 3);
        checkAccounts(group, "group", 2);
        checkSubordinates(subuid, "subordinate UIDs");
        checkSubordinates(subgid, "subordinate GIDs");
    }

    @Override
    public String toString()
    {
        return first + "-" + last;
    }

    private void checkAccounts(Path file, String kind, int column)
    {
        for (String line : lines(file)) {
            String[] fields = line.split(":", -1);
            if (fields.length <= column) {
                continue;
            }
            parseId(fields[column]).filter(id -> overlaps(id, id))
                    .ifPresent(id -> {
                        throw clash("the " + kind + " '" + fields[0] + "' (ID " + id + ") in " + file);
                    });
        }
    }

    private void checkSubordinates(Path file, String kind)
    {
        for (String line : lines(file)) {
            String[] fields = line.split(":", -1);
            if (fields.length < 3) {
                continue;
            }
            Optional<Long> start = parseId(fields[1]);
            Optional<Long> count = parseId(fields[2]);
            if (start.isPresent() && count.isPresent() && count.get() > 0) {
                long end = start.get() + count.get() - 1;
                if (overlaps(start.get(), end)) {
                    throw clash("the " + kind + " " + start.get() + "-" + end + " of '" + fields[0] + "' in " + file);
                }
            }
        }
    }

    private boolean overlaps(long otherFirst, long otherLast)
    {
        return otherFirst <= last && otherLast >= first;
    }

    private DollyException clash(String what)
    {
        return DollyException.badInput(VARIABLE + "=" + this + " overlaps " + what + ": engine processes must not share an ID with any account. Set "
                + VARIABLE + " to a range of IDs nothing on this machine uses (the default is " + DEFAULT + ").");
    }

    private static List<String> lines(Path file)
    {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        }
        catch (NoSuchFileException e) {
            return List.of();
        }
        catch (IOException e) {
            throw DollyException.failed("Cannot read " + file + " to check " + VARIABLE + " against the accounts of this machine: " + e.getMessage(), e);
        }
    }

    private static Optional<Long> parseId(String text)
    {
        try {
            return Optional.of(Long.parseLong(text.strip()));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static long id(String text, String range)
    {
        try {
            long id = Long.parseLong(text.strip());
            // 2^31 and above would not fit Java's int, and 2^32 - 1 is (uid_t) -1
            if (id < 0 || id > Integer.MAX_VALUE - 1) {
                throw new NumberFormatException();
            }
            return id;
        }
        catch (NumberFormatException e) {
            throw DollyException.badInput(VARIABLE + " '" + range + "' must be a range of numeric IDs below 2147483647, such as " + DEFAULT + ".");
        }
    }

    private record Reserved(int first, int last, String description) {}
}
