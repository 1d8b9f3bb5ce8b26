package dev.dolly.core.engine.postgresql;

import dev.dolly.core.engine.EngineFactory;
import dev.dolly.core.engine.EngineProvider;

import java.util.List;
import java.util.Map;

/** Offers {@link PostgresEngine}: {@code engine: postgresql}, or {@code postgres}. */
public final class PostgresEngineProvider
        implements EngineProvider
{
    @Override
    public String name()
    {
        return "PostgreSQL";
    }

    @Override
    public EngineFactory configure(Map<String, String> environment)
    {
        PostgresConfiguration configuration = PostgresConfiguration.fromEnvironment(environment);
        return context -> List.of(new PostgresEngine(
                new PostgresBinaries(context.enginesDirectory(), context.downloadCache(), context.mavenRepository(), context.localMavenRepository(), configuration.installations()),
                context.engineUser(),
                configuration,
                context.runtime()));
    }
}
