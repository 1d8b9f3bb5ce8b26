package dev.dolly.core.engine;

import java.util.Map;

/**
 * Offers one kind of database engine to Dolly, found through {@link java.util.ServiceLoader}: an implementation is
 * named in {@code META-INF/services/dev.dolly.core.engine.EngineProvider} of its jar, and the daemon offers its
 * engines without any other change. Its engines declare their names and aliases ({@link Engine#name()},
 * {@link Engine#aliases()}) and their versions ({@link Engine#resolveVersion}, {@link Engine#describe()}); the
 * provider reads its own settings.
 */
public interface EngineProvider
{
    /** What the provider offers, for messages, such as {@code PostgreSQL}. */
    String name();

    /**
     * Reads this provider's settings from the daemon's environment into its own configuration, and checks them
     * completely, when the daemon starts: a mistake fails with {@code BAD_INPUT} and a message that names the
     * variable and says what to write instead.
     *
     * @return what creates the engines with those settings, once the daemon's home is open
     */
    EngineFactory configure(Map<String, String> environment);
}
