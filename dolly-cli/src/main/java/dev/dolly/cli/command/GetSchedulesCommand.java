package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get schedules}, or {@code dolly get schedule NAME} for one. */
@Command(name = "schedules", aliases = "schedule", description = "List scheduled image builds: when they ran, how it went, when they run next.")
final class GetSchedulesCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The schedule to show.")
    String name;

    GetSchedulesCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        if (name == null) {
            ScheduleTable.output(context).printList(client.listSchedules(), output, global.quiet);
        }
        else {
            ScheduleTable.output(context).printOne(client.getSchedule(name), output, global.quiet);
        }
        return 0;
    }
}
