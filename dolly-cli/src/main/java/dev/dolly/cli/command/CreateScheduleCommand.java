package dev.dolly.cli.command;

import dev.dolly.api.CreateImageRequest;
import dev.dolly.api.CreateScheduleRequest;
import dev.dolly.api.Schedule;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly create schedule NAME -f image.yaml --cron "0 2 * * *"}: the daemon builds the image whenever the
 * expression says, from the definition and the files it keeps (uploaded now, or read where they are for the local
 * administrator).
 */
@Command(
        name = "schedule",
        aliases = "schedules",
        description = "Build a data image on a schedule, on the daemon: the definition and the files it names are kept for every run.")
final class CreateScheduleCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The schedule's name.")
    String name;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The image definition. Paths in it are relative to its directory; the files it names are uploaded and kept for every run.")
    Path file;

    @Option(names = "--cron", required = true, paramLabel = "EXPRESSION",
            description = "When to build: a five-field cron expression, minute hour day-of-month month day-of-week (\"0 2 * * *\": every day at 02:00).")
    String cron;

    @Option(names = "--time-zone", paramLabel = "ZONE", description = "The time zone of the expression (Europe/Berlin, UTC). Default: the daemon's.")
    String timeZone;

    @Option(names = "--keep", paramLabel = "N", description = "Keep the N newest images this schedule built; older ones are deleted once nothing uses them.")
    Integer keep;

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag to add to the definition's; it moves to each image that builds successfully. Repeat for more.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--lifetime", paramLabel = "DURATION", description = "Delete each image after this long: 90m, 48h, 7d; 0 for never.")
    String lifetime;

    CreateScheduleCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        ImageCreation creation = new ImageCreation(context);
        ImageCreation.DefinitionFile definition = creation.read(file);
        DaemonConnector connector = new DaemonConnector(context);
        DollyClient client = connector.connect(global);
        CreateImageRequest files = creation.request(client, connector.localAdministrator(), global.quiet || output.structured(), definition, null, List.of(),
                List.of(), null);
        Schedule schedule = client.createSchedule(new CreateScheduleRequest(name, files.definition(), files.sourceDirectory(), files.upload(), cron, timeZone,
                keep, tags, lifetime));
        output.print(context, schedule, global.quiet, schedule.name(), "Schedule '" + schedule.name() + "' created!\n-> builds '" + schedule.imageName()
                + "' at '" + schedule.cron() + "' (" + schedule.timeZone() + "), next at " + schedule.nextRunAt() + ". Run it now with 'dolly run schedule "
                + schedule.name() + "'.");
        return 0;
    }
}
