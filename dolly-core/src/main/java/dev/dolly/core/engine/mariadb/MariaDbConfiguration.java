package dev.dolly.core.engine.mariadb;

import dev.dolly.api.DollyException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB's and MySQL's settings, read from the daemon's environment and checked when it starts.
 *
 * @param mariadbInstallations bin directories of MariaDB installations of the system, used before the bundled release
 * @param mysqlInstallations MySQL installations (the directories holding {@code bin/mysqld}) by the version image
 *         definitions ask for, such as {@code 8.0}; without one, {@code engine: mysql} runs on MariaDB
 */
public record MariaDbConfiguration(List<Path> mariadbInstallations, Map<String, Path> mysqlInstallations)
{
    public static final String MARIADB_INSTALLATIONS_VARIABLE = "DOLLY_MARIADB_INSTALLATIONS";
    public static final String MYSQL_INSTALLATIONS_VARIABLE = "DOLLY_MYSQL_INSTALLATIONS";

    public MariaDbConfiguration
    {
        mariadbInstallations = List.copyOf(mariadbInstallations);
        mysqlInstallations = Collections.unmodifiableMap(new LinkedHashMap<>(mysqlInstallations));
    }

    /**
     * Reads:
     * <ul>
     * <li>{@code DOLLY_MARIADB_INSTALLATIONS}: {@code :}-separated bin directories of MariaDB installations</li>
     * <li>{@code DOLLY_MYSQL_INSTALLATIONS}: {@code ,}-separated {@code version=directory} MySQL installations, such
     * as {@code 8.0=/opt/mysql-8.0}</li>
     * </ul>
     */
    public static MariaDbConfiguration fromEnvironment(Map<String, String> environment)
    {
        List<Path> mariadbInstallations = new ArrayList<>();
        for (String directory : environment.getOrDefault(MARIADB_INSTALLATIONS_VARIABLE, "").split(":")) {
            if (!directory.isBlank()) {
                mariadbInstallations.add(Path.of(directory.strip()));
            }
        }
        Map<String, Path> mysqlInstallations = new LinkedHashMap<>();
        for (String entry : environment.getOrDefault(MYSQL_INSTALLATIONS_VARIABLE, "").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String version = equals <= 0 ? "" : entry.substring(0, equals).strip();
            if (!version.matches("\\d+(\\.\\d+){0,2}") || entry.substring(equals + 1).isBlank()) {
                throw DollyException.badInput(MYSQL_INSTALLATIONS_VARIABLE + " entry '" + entry + "' must be version=directory, for example 8.0=/opt/mysql-8.0.");
            }
            mysqlInstallations.put(version, Path.of(entry.substring(equals + 1).strip()));
        }
        return new MariaDbConfiguration(mariadbInstallations, mysqlInstallations);
    }
}
