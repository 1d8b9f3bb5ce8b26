package dev.dolly.cli.command;

import dev.dolly.api.Team;
import dev.dolly.cli.output.TableWriter;

/** The columns of {@code dolly get teams}. */
final class TeamTable
{
    private TeamTable() {}

    static ResourceOutput<Team> output(CommandContext context)
    {
        return new ResourceOutput<>(context, Team::name, teams -> {
            TableWriter table = new TableWriter("TEAM", "MEMBERS");
            for (Team team : teams) {
                table.addRow(team.name(), Cells.list(team.members()));
            }
            return table;
        });
    }
}
