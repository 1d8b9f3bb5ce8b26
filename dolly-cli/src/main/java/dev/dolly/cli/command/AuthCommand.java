package dev.dolly.cli.command;

import picocli.CommandLine.Command;

/** {@code dolly auth}: signing in and out. */
@Command(
        name = "auth",
        description = "Sign in to a Dolly server with a user name and password, see who you are signed in as, sign out.",
        subcommands = {
                AuthLoginCommand.class,
                AuthStatusCommand.class,
                AuthLogoutCommand.class,
        })
final class AuthCommand {}
