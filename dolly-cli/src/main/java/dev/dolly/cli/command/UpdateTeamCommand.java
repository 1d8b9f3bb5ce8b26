package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.Team;
import dev.dolly.api.UpdateTeamRequest;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly update team ORG:TEAM --add-member U --remove-member U} (administrators only). */
@Command(name = "team", aliases = "teams", description = "Add members to a team, or remove them (administrators only).")
final class UpdateTeamCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ORG:TEAM", description = "The team, such as myorg:developers.")
    String name;

    @Option(names = "--add-member", paramLabel = "USER", description = "A user to add; repeat for more.")
    List<String> add = new ArrayList<>();

    @Option(names = "--remove-member", paramLabel = "USER", description = "A user to remove; repeat for more.")
    List<String> remove = new ArrayList<>();

    UpdateTeamCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (add.isEmpty() && remove.isEmpty()) {
            throw DollyException.badInput("Say what to change: --add-member USER or --remove-member USER, each as often as needed.");
        }
        DollyClient client = new DaemonConnector(context).connect(global);
        Team team = client.updateTeam(name, new UpdateTeamRequest(add, remove));
        output.print(context, team, global.quiet, team.name(), "Team '" + team.name() + "' updated. Members: "
                + (team.members().isEmpty() ? "none" : String.join(", ", team.members())) + ".");
        return 0;
    }
}
