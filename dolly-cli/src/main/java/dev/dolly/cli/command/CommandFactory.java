package dev.dolly.cli.command;

import picocli.CommandLine;

import java.lang.reflect.Constructor;

import static java.util.Objects.requireNonNull;

/** Creates commands, mixins and providers, handing the {@link CommandContext} to those that take one. */
public final class CommandFactory
        implements CommandLine.IFactory
{
    private final CommandContext context;

    public CommandFactory(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public <K> K create(Class<K> type)
            throws Exception
    {
        Constructor<K> constructor;
        try {
            constructor = type.getDeclaredConstructor(CommandContext.class);
        }
        catch (NoSuchMethodException e) {
            if (type.isInterface() || type.getDeclaredConstructors().length == 0) {
                return CommandLine.defaultFactory().create(type);
            }
            try {
                Constructor<K> defaultConstructor = type.getDeclaredConstructor();
                defaultConstructor.setAccessible(true);
                return defaultConstructor.newInstance();
            }
            catch (NoSuchMethodException noDefault) {
                return CommandLine.defaultFactory().create(type);
            }
        }
        constructor.setAccessible(true);
        return constructor.newInstance(context);
    }
}
