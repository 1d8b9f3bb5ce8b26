package dev.dolly.core.engine.postgresql;

import dev.dolly.api.DollyException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL's settings, read from the daemon's environment and checked when it starts.
 *
 * @param containerParameters server settings for containers; small by default, for development use
 * @param pgRestore the {@code pg_restore} to restore custom, directory and tar backups with; empty to find one
 * @param installations bin directories of PostgreSQL installations of the system, used before fetched versions
 */
public record PostgresConfiguration(Map<String, String> containerParameters, Optional<Path> pgRestore, List<Path> installations)
{
    public static final String SETTINGS_VARIABLE = "DOLLY_POSTGRESQL_SETTINGS";
    public static final String PG_RESTORE_VARIABLE = "DOLLY_PG_RESTORE";
    public static final String INSTALLATIONS_VARIABLE = "DOLLY_POSTGRESQL_INSTALLATIONS";

    /** Small settings for development containers: about 20 MB of shared memory, few connections. */
    public static final Map<String, String> DEFAULT_CONTAINER_PARAMETERS = orderedMap(
            "shared_buffers", "16MB",
            "max_connections", "20",
            "work_mem", "4MB",
            "maintenance_work_mem", "32MB",
            "wal_buffers", "512kB",
            "max_wal_size", "256MB",
            "min_wal_size", "32MB",
            "autovacuum_max_workers", "1",
            "max_worker_processes", "2",
            "max_parallel_workers", "1",
            "max_parallel_workers_per_gather", "0",
            "synchronous_commit", "off",
            "dynamic_shared_memory_type", "posix");

    public PostgresConfiguration
    {
        // the order is kept: later settings win in the server's configuration file
        containerParameters = Collections.unmodifiableMap(new LinkedHashMap<>(containerParameters));
        requireNonNull(pgRestore, "pgRestore is null");
        installations = List.copyOf(installations);
    }

    /** The defaults: small container settings, a {@code pg_restore} found when needed, no system installations. */
    public static PostgresConfiguration defaults()
    {
        return new PostgresConfiguration(DEFAULT_CONTAINER_PARAMETERS, Optional.empty(), List.of());
    }

    /**
     * Reads:
     * <ul>
     * <li>{@code DOLLY_POSTGRESQL_SETTINGS}: {@code name=value,…} server settings for containers, over the defaults</li>
     * <li>{@code DOLLY_PG_RESTORE}: the pg_restore program (default: the installation's, or one found on PATH)</li>
     * <li>{@code DOLLY_POSTGRESQL_INSTALLATIONS}: {@code :}-separated bin directories of system installations</li>
     * </ul>
     */
    public static PostgresConfiguration fromEnvironment(Map<String, String> environment)
    {
        Map<String, String> parameters = new LinkedHashMap<>(DEFAULT_CONTAINER_PARAMETERS);
        for (String setting : environment.getOrDefault(SETTINGS_VARIABLE, "").split(",")) {
            if (setting.isBlank()) {
                continue;
            }
            int equals = setting.indexOf('=');
            if (equals <= 0) {
                throw DollyException.badInput(SETTINGS_VARIABLE + " entry '" + setting + "' must be name=value, for example shared_buffers=128MB.");
            }
            parameters.put(setting.substring(0, equals).strip(), setting.substring(equals + 1).strip());
        }
        List<Path> installations = new ArrayList<>();
        for (String directory : environment.getOrDefault(INSTALLATIONS_VARIABLE, "").split(":")) {
            if (!directory.isBlank()) {
                installations.add(Path.of(directory));
            }
        }
        Optional<Path> pgRestore = Optional.ofNullable(environment.get(PG_RESTORE_VARIABLE)).filter(value -> !value.isBlank()).map(Path::of);
        return new PostgresConfiguration(parameters, pgRestore, installations);
    }

    private static Map<String, String> orderedMap(String... keysAndValues)
    {
        Map<String, String> map = new LinkedHashMap<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            map.put(keysAndValues[index], keysAndValues[index + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
