package dev.dolly.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly __complete WORD...}: what the completion scripts call on each Tab. The words are the command line
 * after {@code dolly}, the last one the word being completed (empty for a new one); the answer is one candidate a
 * line, or {@value Completions#FILES} for file names. Quiet: it never fails, and never starts a daemon.
 */
@Command(name = Completions.COMMAND, hidden = true, description = "The candidates for the last word of a command line (for the completion scripts).")
final class CompleteCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    CompleteCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        try {
            new Completions(spec.root(), new Completions.DaemonNames(context)).candidates(words).forEach(context.stdout()::println);
        }
        catch (RuntimeException e) {
            // nothing to offer: a completion never prints an error into the user's command line
        }
        return 0;
    }
}
