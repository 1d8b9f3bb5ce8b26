package dev.dolly.core.engine;

import java.util.List;

/** Creates the engines of a configured {@link EngineProvider}. */
@FunctionalInterface
public interface EngineFactory
{
    /** The engines, each with a name (and aliases) no other engine of the daemon has. */
    List<Engine> create(EngineContext context);
}
