package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete schedule NAME...}: the schedules and the files they kept; the images they built stay. */
@Command(name = "schedule", aliases = "schedules", description = "Delete scheduled image builds and the files they kept. The images they built stay.")
final class DeleteScheduleCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The schedules to delete.")
    List<String> names;

    DeleteScheduleCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "Schedule").deleteEach(names, name -> client.deleteSchedule(name).name(), global.quiet, false);
    }
}
