package dev.dolly.cli.command;

import dev.dolly.cli.output.OutputFormat;
import dev.dolly.cli.output.Printer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code -o table|json|yaml}, for commands that list or show resources. */
final class OutputOptions
{
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", converter = FormatConverter.class,
            description = "Output format: table, json or yaml. Default: table.")
    OutputFormat format = OutputFormat.TABLE;

    /** Whether to print a JSON or YAML document rather than text for people. */
    boolean structured()
    {
        return format != OutputFormat.TABLE;
    }

    /**
     * What a command that made or changed one resource prints: the resource as JSON or YAML, else {@code quietLine}
     * alone with {@code -q}, else {@code message} for people.
     */
    void print(CommandContext context, Object resource, boolean quiet, String quietLine, String message)
    {
        if (structured()) {
            new Printer(context.stdout()).print(resource, format);
        }
        else if (quiet) {
            context.stdout().println(quietLine);
        }
        else {
            context.stdout().println(message);
        }
    }

    static final class FormatConverter
            implements ITypeConverter<OutputFormat>
    {
        @Override
        public OutputFormat convert(String value)
        {
            try {
                return OutputFormat.fromName(value);
            }
            catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
