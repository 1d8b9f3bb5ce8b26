package dev.dolly.cli.command;

import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete user NAME...} (administrators only). */
@Command(
        name = "user",
        aliases = "users",
        description = "Delete users, with their access tokens and sessions (administrators only). Their images and containers stay.")
final class DeleteUserCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "The users to delete.")
    List<String> names;

    DeleteUserCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        return new Deletion(context, "User").deleteEach(names, name -> client.deleteUser(name).name(), global.quiet, false);
    }
}
