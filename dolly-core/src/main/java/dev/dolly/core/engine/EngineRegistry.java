package dev.dolly.core.engine;

import dev.dolly.api.DollyException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** The engines this daemon can run, by name and by alias. */
public final class EngineRegistry
{
    private final Map<String, Engine> engines = new LinkedHashMap<>();
    private final Map<String, Engine> byNameOrAlias = new LinkedHashMap<>();

    /**
     * @throws DollyException when two engines claim the same name or alias
     */
    public EngineRegistry(List<Engine> engines)
    {
        requireNonNull(engines, "engines is null");
        for (Engine engine : engines) {
            this.engines.put(engine.name(), engine);
            claim(engine.name(), engine);
            engine.aliases().forEach(alias -> claim(alias, engine));
        }
    }

    private void claim(String name, Engine engine)
    {
        Engine other = byNameOrAlias.putIfAbsent(name.toLowerCase(Locale.ROOT), engine);
        if (other != null) {
            throw DollyException.engineFailed("Two engines are called '" + name + "': " + other.getClass().getName() + " (" + other.name() + ") and "
                    + engine.getClass().getName() + " (" + engine.name() + "). Remove one of their providers from the class path.");
        }
    }

    /**
     * The engine of a name or an alias, such as {@code postgres} for {@code postgresql}, in any case.
     *
     * @throws DollyException with {@code BAD_INPUT} when no engine has that name
     */
    public Engine engine(String nameOrAlias)
    {
        return find(nameOrAlias).orElseThrow(() -> DollyException.badInput("Unknown engine '" + nameOrAlias + "': use one of " + String.join(", ", names()) + "."));
    }

    /** The engine of a name or an alias, in any case. */
    public Optional<Engine> find(String nameOrAlias)
    {
        requireNonNull(nameOrAlias, "nameOrAlias is null");
        return Optional.ofNullable(byNameOrAlias.get(nameOrAlias.toLowerCase(Locale.ROOT)));
    }

    /** The engines' own names (not their aliases), in the order they were registered. */
    public Set<String> names()
    {
        return Collections.unmodifiableSet(engines.keySet());
    }

    public List<Engine> all()
    {
        return List.copyOf(engines.values());
    }
}
