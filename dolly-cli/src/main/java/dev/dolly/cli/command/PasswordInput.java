package dev.dolly.cli.command;

import dev.dolly.api.DollyException;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/** Reads a password: the first line of stdin ({@code --password-stdin}), or from the terminal without echo. */
final class PasswordInput
{
    private final CommandContext context;

    PasswordInput(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    /** @param confirm whether to ask twice at the terminal (a new password) */
    String read(boolean fromStdin, boolean confirm)
    {
        if (fromStdin) {
            return fromStdin();
        }
        // the terminal itself, not the streams of the context: the password must not echo
        // on Java 21, the release the code targets, there is no console without a terminal
        @SuppressWarnings("SystemConsoleNull")
        Console console = System.console();
        if (console == null) {
            throw DollyException.badInput("There is no terminal to ask for the password on: pass it on stdin with --password-stdin, "
                    + "for example: printf '%s\\n' \"$PASSWORD\" | dolly ... --password-stdin");
        }
        char[] first = console.readPassword("Password: ");
        if (first == null) {
            throw DollyException.badInput("No password given.");
        }
        try {
            if (confirm) {
                char[] second = console.readPassword("Password again: ");
                try {
                    if (second == null || !Arrays.equals(first, second)) {
                        throw DollyException.badInput("The passwords differ. Run the command again.");
                    }
                }
                finally {
                    if (second != null) {
                        Arrays.fill(second, '\0');
                    }
                }
            }
            return new String(first);
        }
        finally {
            Arrays.fill(first, '\0');
        }
    }

    private String fromStdin()
    {
        try {
            String line = new BufferedReader(new InputStreamReader(context.stdin(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw DollyException.badInput("--password-stdin: stdin is empty. Write the password to it, followed by a new line.");
            }
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        }
        catch (IOException e) {
            throw DollyException.badInput("--password-stdin: cannot read stdin: " + e.getMessage());
        }
    }
}
