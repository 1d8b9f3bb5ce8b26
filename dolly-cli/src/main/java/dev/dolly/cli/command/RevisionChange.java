package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.cli.output.Printer;

/** What load and reset print: the container as JSON or YAML, its revision with {@code -q}, or a sentence. */
final class RevisionChange
{
    private RevisionChange() {}

    static void print(CommandContext context, DataContainer container, OutputOptions output, boolean quiet, String message)
    {
        if (output.structured()) {
            new Printer(context.stdout()).print(container, output.format);
        }
        else if (quiet) {
            context.stdout().println(container.revision());
        }
        else {
            context.stdout().println(message);
        }
    }
}
