package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The engines this daemon can run, by name. */
public final class EngineRegistry
{
    private final Map<String, Engine> engines = new LinkedHashMap<>();

    public EngineRegistry(List<Engine> engines)
    {
        engines.forEach(engine -> this.engines.put(engine.name(), engine));
    }

    public Engine engine(String name)
    {
        Engine engine = engines.get(name);
        if (engine == null) {
            throw DollyException.badInput("Unknown engine '" + name + "': use one of " + String.join(", ", engines.keySet()) + ".");
        }
        return engine;
    }

    public Set<String> names()
    {
        return engines.keySet();
    }

    public List<Engine> all()
    {
        return List.copyOf(engines.values());
    }
}
