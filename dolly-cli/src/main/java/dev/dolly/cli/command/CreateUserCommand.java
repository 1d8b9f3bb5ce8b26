package dev.dolly.cli.command;

import dev.dolly.api.CreateUserRequest;
import dev.dolly.api.User;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly create user NAME [--admin] [--password-stdin]} (administrators only). */
@Command(
        name = "user",
        aliases = "users",
        description = {
                "Create a user who signs in with 'dolly auth login' (administrators only).",
                "The password is asked twice without echo, or read from stdin with --password-stdin; it needs at least 12 characters."})
final class CreateUserCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The user name: lower-case letters, digits, '.', '_' or '-'.")
    String name;

    @Option(names = "--admin", description = "Make the user an administrator: sees everything, manages users and teams.")
    boolean admin;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    CreateUserCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        String password = new PasswordInput(context).read(passwordStdin, true);
        DollyClient client = new DaemonConnector(context).connect(global);
        User user = client.createUser(new CreateUserRequest(name, password, admin));
        output.print(context, user, global.quiet, user.name(), (user.admin() ? "Administrator '" : "User '") + user.name() + "' created. They sign in with 'dolly auth login --username "
                + user.name() + "'.");
        return 0;
    }
}
