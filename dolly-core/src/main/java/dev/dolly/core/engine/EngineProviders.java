package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import static java.util.Objects.requireNonNull;

/**
 * The engine providers on the class path ({@link ServiceLoader}), each configured from the daemon's environment, in
 * the order the class path lists them. Configuring them checks every engine's settings when the daemon starts;
 * {@link #createEngines} creates the engines once the home is open.
 */
public final class EngineProviders
{
    private final List<ConfiguredProvider> providers;

    private EngineProviders(List<ConfiguredProvider> providers)
    {
        this.providers = List.copyOf(providers);
    }

    /** Finds the providers on the class path and configures each from the environment. */
    public static EngineProviders load(Map<String, String> environment)
    {
        List<EngineProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(EngineProvider.class).forEach(providers::add);
        }
        catch (ServiceConfigurationError e) {
            throw DollyException.engineFailed("An engine provider on the class path cannot be loaded: " + e.getMessage(), e);
        }
        return configure(providers, environment);
    }

    /** Configures these providers from the environment, in this order. */
    public static EngineProviders configure(List<EngineProvider> providers, Map<String, String> environment)
    {
        requireNonNull(providers, "providers is null");
        requireNonNull(environment, "environment is null");
        List<ConfiguredProvider> configured = new ArrayList<>();
        for (EngineProvider provider : providers) {
            configured.add(new ConfiguredProvider(provider.name(), requireNonNull(provider.configure(environment), "an engine provider configured nothing")));
        }
        return new EngineProviders(configured);
    }

    /** The names of the providers, such as {@code PostgreSQL}, in order. */
    public List<String> names()
    {
        return providers.stream().map(ConfiguredProvider::name).toList();
    }

    /**
     * Creates every provider's engines.
     *
     * @throws DollyException when two engines claim the same name or alias
     */
    public EngineRegistry createEngines(EngineContext context)
    {
        requireNonNull(context, "context is null");
        List<Engine> engines = new ArrayList<>();
        for (ConfiguredProvider provider : providers) {
            engines.addAll(provider.factory().create(context));
        }
        return new EngineRegistry(engines);
    }

    private record ConfiguredProvider(String name, EngineFactory factory) {}
}
