package dev.dolly.core.engine.mariadb;

import dev.dolly.core.engine.EngineFactory;
import dev.dolly.core.engine.EngineProvider;

import java.util.List;
import java.util.Map;

/**
 * Offers {@link MariaDbEngine} twice, as {@code engine: mysql} and {@code engine: mariadb}, sharing one set of
 * binaries.
 */
public final class MariaDbEngineProvider
        implements EngineProvider
{
    @Override
    public String name()
    {
        return "MariaDB and MySQL";
    }

    @Override
    public EngineFactory configure(Map<String, String> environment)
    {
        MariaDbConfiguration configuration = MariaDbConfiguration.fromEnvironment(environment);
        return context -> {
            MariaDbBinaries binaries = new MariaDbBinaries(context.enginesDirectory(), context.downloadCache(), context.mavenRepository(),
                    context.localMavenRepository(), configuration.mariadbInstallations(), configuration.mysqlInstallations());
            return List.of(
                    new MariaDbEngine(MariaDbEngine.MYSQL, binaries, context.engineUser(), MariaDbEngine.defaultRunDirectory(), context.runtime()),
                    new MariaDbEngine(MariaDbEngine.MARIADB, binaries, context.engineUser(), MariaDbEngine.defaultRunDirectory(), context.runtime()));
        };
    }
}
