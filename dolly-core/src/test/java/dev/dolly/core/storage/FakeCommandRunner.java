package dev.dolly.core.storage;

import dev.dolly.core.process.Command;
import dev.dolly.core.process.CommandRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/** Records every command and answers with what a function says, success with no output by default. */
final class FakeCommandRunner
        implements CommandRunner
{
    private final List<List<String>> commands = new ArrayList<>();
    private Function<List<String>, Result> answers = command -> new Result(0, "");

    FakeCommandRunner answering(Function<List<String>, Result> answers)
    {
        this.answers = requireNonNull(answers, "answers is null");
        return this;
    }

    @Override
    public synchronized Result run(Command command)
    {
        commands.add(command.arguments());
        return answers.apply(command.arguments());
    }

    synchronized List<List<String>> commands()
    {
        return List.copyOf(commands);
    }

    /** The commands run, each as one line, for comparing with what a test expects. */
    synchronized List<String> commandLines()
    {
        return commands.stream().map(command -> String.join(" ", command)).toList();
    }

    synchronized void clear()
    {
        commands.clear();
    }
}
