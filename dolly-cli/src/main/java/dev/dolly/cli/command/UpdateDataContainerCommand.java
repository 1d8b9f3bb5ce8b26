package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.UpdateContainerRequest;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly update data-container REF --lifetime D --name NEW} */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"datacontainer", "dc"},
        description = "Change a data container's name, lifetime, teams or idle stop. Its connection details stay the same.")
final class UpdateDataContainerCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container: its name or ID.")
    String reference;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "A new name for the container.")
    String name;

    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Delete the container this long from now: 90m, 48h, 10h30m, 7d; 0 for never.")
    String lifetime;

    @Option(names = "--team", paramLabel = "ORG:TEAM", description = "Share the container with a team (repeatable): its members see it and connect to it.")
    List<String> addTeams = new ArrayList<>();

    @Option(names = "--remove-team", paramLabel = "ORG:TEAM", description = "Stop sharing the container with a team (repeatable).")
    List<String> removeTeams = new ArrayList<>();

    @Option(names = "--idle-stop", paramLabel = "DURATION", description = "Stop its server after this long with no client connection (30m, 45s; at least 1s); "
            + "the next connection starts it again. off: never.")
    String idleStop;

    UpdateDataContainerCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (name == null && lifetime == null && addTeams.isEmpty() && removeTeams.isEmpty() && idleStop == null) {
            throw new ParameterException(spec.commandLine(), "Nothing to change: give --name, --lifetime, --team, --remove-team or --idle-stop.");
        }
        DollyClient client = new DaemonConnector(context).connect(global);
        DataContainer container = client.updateContainer(reference, new UpdateContainerRequest(name, lifetime, addTeams, removeTeams, idleStop));
        output.print(context, container, global.quiet, container.name(), "Data container '" + container.name() + "' (" + container.id() + ") updated.");
        return 0;
    }
}
