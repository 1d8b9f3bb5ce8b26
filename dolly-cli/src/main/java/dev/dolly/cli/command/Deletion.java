package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.cli.output.NextSteps;

import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/** Deletes resources one by one, going on after a failure; the exit code is the first failure's. */
final class Deletion
{
    private final CommandContext context;
    private final String kind;

    /** @param kind how messages name the resource, such as {@code Data image} */
    Deletion(CommandContext context, String kind)
    {
        this.context = requireNonNull(context, "context is null");
        this.kind = requireNonNull(kind, "kind is null");
    }

    /**
     * @param delete deletes the referenced resource and returns its name
     * @param ignoreNotFound whether a resource that does not exist counts as deleted (and is not mentioned)
     */
    int deleteEach(List<String> references, Function<String, String> delete, boolean quiet, boolean ignoreNotFound)
    {
        int exitCode = 0;
        for (String reference : references) {
            try {
                String name = delete.apply(reference);
                String shown = name == null ? reference : name;
                context.stdout().println(quiet ? shown : kind + " '" + shown + "' deleted.");
            }
            catch (DollyException e) {
                if (ignoreNotFound && e.errorCode() == ErrorCode.NOT_FOUND) {
                    continue;
                }
                context.stderr().println("Error: " + NextSteps.describe(e));
                if (exitCode == 0) {
                    exitCode = e.errorCode().exitCode();
                }
            }
        }
        return exitCode;
    }
}
