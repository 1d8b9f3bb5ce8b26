package dev.dolly.cli.command;

import dev.dolly.api.User;
import dev.dolly.cli.output.TableWriter;

/** The columns of {@code dolly get users}. */
final class UserTable
{
    private UserTable() {}

    static ResourceOutput<User> output(CommandContext context)
    {
        return new ResourceOutput<>(context, User::name, users -> {
            TableWriter table = new TableWriter("NAME", "ADMIN", "TEAMS", "CREATED");
            for (User user : users) {
                table.addRow(user.name(), user.admin() ? "yes" : "no", Cells.list(user.teams()), Cells.created(user.createdAt(), context.now()));
            }
            return table;
        });
    }
}
