package dev.dolly.cli.command;

import dev.dolly.cli.output.Printer;
import dev.dolly.cli.output.TableWriter;

import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/** Prints images or containers as a table, as names only ({@code -q}), or as JSON or YAML. */
final class ResourceOutput<T>
{
    private final CommandContext context;
    private final Function<T, String> name;
    private final Function<List<T>, TableWriter> table;

    ResourceOutput(CommandContext context, Function<T, String> name, Function<List<T>, TableWriter> table)
    {
        this.context = requireNonNull(context, "context is null");
        this.name = requireNonNull(name, "name is null");
        this.table = requireNonNull(table, "table is null");
    }

    void printList(List<T> items, OutputOptions output, boolean quiet)
    {
        if (output.structured()) {
            new Printer(context.stdout()).print(items, output.format);
        }
        else if (quiet) {
            items.forEach(item -> context.stdout().println(name.apply(item)));
        }
        else if (items.isEmpty()) {
            context.stdout().println("No resources found.");
        }
        else {
            context.stdout().print(table.apply(items).render());
        }
    }

    void printOne(T item, OutputOptions output, boolean quiet)
    {
        if (output.structured()) {
            new Printer(context.stdout()).print(item, output.format);
        }
        else {
            printList(List.of(item), output, quiet);
        }
    }
}
