package dev.dolly.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.dolly.api.DollyException;
import dev.dolly.api.Json;

import java.io.PrintStream;

import static java.util.Objects.requireNonNull;

/** Writes result objects as JSON or YAML, with the mappers the daemon uses, so that fields match the API. */
public final class Printer
{
    private final PrintStream out;

    public Printer(PrintStream out)
    {
        this.out = requireNonNull(out, "out is null");
    }

    /** Writes {@code value} in {@code format}, which must be JSON or YAML. */
    public void print(Object value, OutputFormat format)
    {
        try {
            switch (format) {
                case JSON -> out.println(Json.json().writerWithDefaultPrettyPrinter().writeValueAsString(value));
                case YAML -> out.print(Json.yaml().writeValueAsString(value));
                case TABLE -> throw new IllegalArgumentException("A table needs columns: print it with a TableWriter");
            }
        }
        catch (JsonProcessingException e) {
            throw DollyException.failed("Cannot format the result as " + format + ": " + e.getOriginalMessage(), e);
        }
    }
}
