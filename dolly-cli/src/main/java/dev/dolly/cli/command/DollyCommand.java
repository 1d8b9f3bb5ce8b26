package dev.dolly.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly}: prints its usage when run without a command. */
@Command(
        name = "dolly",
        versionProvider = VersionProvider.class,
        description = "Instant, isolated copies of real databases, from sealed data images.",
        subcommands = {
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
                CompleteCommand.class,
        },
        footer = {
                "",
                "Start with '${ROOT-COMMAND-NAME} demo', or '${ROOT-COMMAND-NAME} create data-image -f image.yaml'.",
                "The daemon of DOLLY_HOME (default ~/.dolly, /var/lib/dolly for root) starts when a command needs it.",
        })
public final class DollyCommand
        implements Callable<Integer>
{
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

    @Override
    public Integer call()
    {
        spec.commandLine().usage(context.stdout());
        return 0;
    }
}
