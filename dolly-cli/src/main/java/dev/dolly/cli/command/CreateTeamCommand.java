package dev.dolly.cli.command;

import dev.dolly.api.CreateTeamRequest;
import dev.dolly.api.Team;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly create team ORG:TEAM} (administrators only). */
@Command(
        name = "team",
        aliases = "teams",
        description = "Create a team (administrators only). Images shared with it (--team, teams: in the YAML) are visible to its members.")
final class CreateTeamCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ORG:TEAM", description = "The team, such as myorg:developers.")
    String name;

    CreateTeamCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        Team team = client.createTeam(new CreateTeamRequest(name));
        output.print(context, team, global.quiet, team.name(), "Team '" + team.name() + "' created. Add members with 'dolly update team " + team.name() + " --add-member USER'.");
        return 0;
    }
}
