package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.Schedule;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly run schedule NAME}: starts a build of the schedule now, unless one is going; its next time stays. */
@Command(name = "schedule", description = "Start a build of the schedule now (refused while one is going). Follow it with 'dolly get schedules'.")
final class RunScheduleCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule to run.")
    String name;

    RunScheduleCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Schedule schedule = client.runSchedule(name);
        if (schedule.runningImageId() == null) {
            // refused at once (the owner's quota, a definition whose files are gone): recorded as the schedule's result too
            throw DollyException.failed("Schedule '" + schedule.name() + "' could not start its build: " + schedule.lastMessage());
        }
        output.print(context, schedule, global.quiet, schedule.name(), "Schedule '" + schedule.name() + "' is building image '" + schedule.imageName()
                + "' (" + schedule.runningImageId() + "). Follow it with 'dolly get schedules' or 'dolly get data-image " + schedule.runningImageId() + "'.");
        return 0;
    }
}
