package dev.dolly.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly}: prints its usage when run without a command. Its commands are {@link #COMMANDS}, added by
 * {@code DollyCommandLine} (all of them, or only the one a command line names: see there why).
 */
@Command(
        name = "dolly",
        versionProvider = VersionProvider.class,
        description = "Instant, isolated copies of real databases, from sealed data images.",
        footer = {
                "",
                "Start with '${ROOT-COMMAND-NAME} demo', or '${ROOT-COMMAND-NAME} create data-image -f image.yaml'.",
                "The daemon of DOLLY_HOME (default ~/.dolly, /var/lib/dolly for root) starts when a command needs it.",
        })
public final class DollyCommand
        implements Callable<Integer>
{
    /** The commands below {@code dolly}, in the order its usage lists them. */
    public static final List<Class<?>> COMMANDS = List.of(
            CreateCommand.class,
            GetCommand.class,
            DeleteCommand.class,
            UpdateCommand.class,
            SaveCommand.class,
            LoadCommand.class,
            ResetCommand.class,
            GraduateCommand.class,
            StartCommand.class,
            StopCommand.class,
            ProxyCommand.class,
            RunCommand.class,
            AuthCommand.class,
            InfoCommand.class,
            DaemonCommand.class,
            StorageCommand.class,
            DemoCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            CompleteCommand.class);

    /** The commands that can be built without the others: all but the completion's, which walk the whole tree. */
    private static final Map<String, Class<?>> BUILDABLE_ALONE = COMMANDS.stream()
            .filter(command -> command != CompleteCommand.class && command != CompletionCommand.class)
            .collect(Collectors.toUnmodifiableMap(command -> command.getAnnotation(Command.class).name(), command -> command));

    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version of dolly.")
    boolean version;

    DollyCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    /** The command of that name, when its model can be built without the other commands'. */
    public static Optional<Class<?>> buildableAlone(String name)
    {
        return Optional.ofNullable(BUILDABLE_ALONE.get(name));
    }

    @Override
    public Integer call()
    {
        spec.commandLine().usage(context.stdout());
        return 0;
    }
}
