package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL version numbers as the binary artifacts spell them: {@code 17.6.0}, {@code 9.6.24}, and rebuilds such
 * as {@code 10.5.0-1}. The major version is the first number, or the first two before PostgreSQL 10 ({@code 9.6}).
 */
final class PostgresVersions
{
    static final List<String> KNOWN_MAJORS = List.of("9.6", "10", "11", "12", "13", "14", "15", "16", "17", "18");

    /**
     * The newest build of each major whose {@code postgres} was checked to be PostgreSQL as released and which Dolly's
     * tests ran. A major or minor version resolves among builds up to these; a newer build runs only when asked for by
     * its exact version. On 2 December 2026 the newest builds of majors 14 to 18 on Maven Central (14.25.0, 15.20.0,
     * 16.16.0, 17.12.0, 18.7.0) gave every column a storage option, {@code pg_attver}, that no released PostgreSQL
     * accepts, so their dumps restored nowhere else; the builds listed here do not hold it.
     */
    static final Map<String, String> NEWEST_CHECKED = Map.of(
            "9.6", "9.6.24",
            "10", "10.23.0",
            "11", "11.22.1",
            "12", "12.22.0",
            "13", "13.23.0",
            "14", "14.24.0",
            "15", "15.19.0",
            "16", "16.15.0",
            "17", "17.11.0",
            "18", "18.6.0");

    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-(\\d+))?");

    /** Newest last. */
    static final Comparator<String> ORDER = Comparator.comparing(PostgresVersions::numbers, PostgresVersions::compareNumbers);

    private PostgresVersions() {}

    static boolean isValid(String version)
    {
        return VERSION.matcher(version).matches();
    }

    /** Whether the text names one exact artifact version ({@code 14.5.0}) rather than a family ({@code 14}, {@code 14.5}). */
    static boolean isExact(String requested)
    {
        Matcher matcher = matcher(requested);
        return matcher.group(3) != null || matcher.group(4) != null;
    }

    static String major(String version)
    {
        Matcher matcher = matcher(version);
        if (Integer.parseInt(matcher.group(1)) < 10 && matcher.group(2) != null) {
            return matcher.group(1) + "." + matcher.group(2);
        }
        return matcher.group(1);
    }

    /**
     * The version a request stands for: the exact version itself; for a major version ({@code 14}, also written
     * {@code 14.0}, or {@code 9.6}) its newest checked release; for a minor version ({@code 14.5}) its newest checked
     * build (see {@link #NEWEST_CHECKED}).
     *
     * @return empty when nothing available matches
     */
    static Optional<String> resolve(String requested, Collection<String> available)
    {
        if (!isValid(requested)) {
            return Optional.empty();
        }
        if (isExact(requested)) {
            return available.contains(requested) ? Optional.of(requested) : Optional.empty();
        }
        return matching(requested, available)
                .filter(PostgresVersions::isChecked)
                .max(ORDER);
    }

    /** Whether a build is no newer than the newest checked build of its major. */
    static boolean isChecked(String version)
    {
        String newestChecked = NEWEST_CHECKED.get(major(version));
        return newestChecked != null && ORDER.compare(version, newestChecked) <= 0;
    }

    private static Stream<String> matching(String requested, Collection<String> available)
    {
        return available.stream()
                .filter(PostgresVersions::isValid)
                .filter(version -> matches(requested, version));
    }

    /** Whether an installed version (an artifact version, or {@code 15.18} as a system's postgres reports it) fulfils a request. */
    static boolean matches(String requested, String version)
    {
        if (requested.equals(version)) {
            return true;
        }
        Matcher wanted = matcher(requested);
        Matcher actual = matcher(version);
        int major = Integer.parseInt(wanted.group(1));
        if (!wanted.group(1).equals(actual.group(1))) {
            return false;
        }
        if (wanted.group(2) == null) {
            return true;
        }
        if (major >= 10 && wanted.group(2).equals("0")) {
            // "14.0" is how many people write "14"
            return true;
        }
        if (!wanted.group(2).equals(actual.group(2))) {
            return false;
        }
        if (wanted.group(3) == null) {
            return true;
        }
        return wanted.group(3).equals(actual.group(3)) && (wanted.group(4) == null || wanted.group(4).equals(actual.group(4)));
    }

    static List<String> majors(Collection<String> versions)
    {
        TreeSet<String> majors = new TreeSet<>(ORDER);
        versions.stream()
                .filter(PostgresVersions::isValid)
                .map(PostgresVersions::major)
                .forEach(majors::add);
        return List.copyOf(majors);
    }

    private static Matcher matcher(String version)
    {
        Matcher matcher = VERSION.matcher(version);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a version: " + version);
        }
        return matcher;
    }

    private static int[] numbers(String version)
    {
        Matcher matcher = matcher(version);
        int[] numbers = new int[4];
        for (int group = 1; group <= 4; group++) {
            String value = matcher.group(group);
            numbers[group - 1] = value == null ? 0 : Integer.parseInt(value);
        }
        return numbers;
    }

    private static int compareNumbers(int[] left, int[] right)
    {
        for (int index = 0; index < left.length; index++) {
            int comparison = Integer.compare(left[index], right[index]);
            if (comparison != 0) {
                return comparison;
            }
        }
        return 0;
    }

    static DollyException unknown(String requested, Collection<String> available)
    {
        if (isValid(requested) && !isExact(requested)) {
            List<String> unchecked = matching(requested, available).sorted(ORDER).toList();
            if (!unchecked.isEmpty()) {
                String newest = unchecked.getLast();
                return DollyException.badInput("PostgreSQL " + requested + " is only available in builds newer than those checked with this version of Dolly ("
                        + String.join(", ", unchecked) + "). Ask for one by its exact version, such as " + newest
                        + ", to run it anyway, or configure a PostgreSQL installation of the system.");
            }
        }
        List<String> majors = available.isEmpty() ? KNOWN_MAJORS : majors(available);
        String example = majors.getLast();
        return DollyException.badInput("PostgreSQL version '" + requested + "' is not available. Available major versions: "
                + String.join(", ", majors) + ". Ask for a major version such as " + example
                + ", a minor version such as 17.6, or an exact version such as 17.6.0.");
    }
}
