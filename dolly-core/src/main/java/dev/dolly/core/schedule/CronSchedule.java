package dev.dolly.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.dolly.api.DollyException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A standard five-field cron expression (minute, hour, day of month, month, day of week, as crontab(5) reads them)
 * in a time zone, through cron-utils: which times match, daylight saving time included.
 */
public final class CronSchedule
{
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final String expression;
    private final ZoneId timeZone;
    private final ExecutionTime executionTime;

    private CronSchedule(String expression, ZoneId timeZone, ExecutionTime executionTime)
    {
        this.expression = expression;
        this.timeZone = timeZone;
        this.executionTime = executionTime;
    }

    /** Reads an expression and a time zone, refusing either with a message that says what is expected. */
    public static CronSchedule parse(String expression, String timeZone)
    {
        if (expression == null || expression.isBlank()) {
            throw DollyException.badInput("A schedule needs a cron expression: --cron \"0 2 * * *\" (minute hour day-of-month month day-of-week).");
        }
        String trimmed = expression.strip().replaceAll("\\s+", " ");
        if (trimmed.split(" ").length != 5) {
            throw DollyException.badInput("The cron expression '" + expression + "' does not have five fields: write minute hour day-of-month month "
                    + "day-of-week, as in \"0 2 * * *\" (every day at 02:00).");
        }
        ExecutionTime executionTime;
        try {
            Cron cron = PARSER.parse(trimmed).validate();
            executionTime = ExecutionTime.forCron(cron);
        }
        catch (IllegalArgumentException e) {
            throw DollyException.badInput("The cron expression '" + expression + "' is not valid: " + e.getMessage()
                    + ". Write minute hour day-of-month month day-of-week, as in \"0 2 * * *\" (every day at 02:00).");
        }
        return new CronSchedule(trimmed, zone(timeZone), executionTime);
    }

    /** A time zone by its name ({@code Europe/Berlin}, {@code UTC}); {@code null} is refused by the caller's default. */
    public static ZoneId zone(String timeZone)
    {
        requireNonNull(timeZone, "timeZone is null");
        try {
            return ZoneId.of(timeZone.strip());
        }
        catch (DateTimeException e) {
            throw DollyException.badInput("'" + timeZone + "' is not a time zone: name one as Europe/Berlin, America/New_York or UTC.");
        }
    }

    /** The first time after {@code after} the expression matches; empty when it never does again (February 30th). */
    public Optional<Instant> nextAfter(Instant after)
    {
        return executionTime.nextExecution(after.atZone(timeZone)).map(time -> time.toInstant());
    }

    public String expression()
    {
        return expression;
    }

    public ZoneId timeZone()
    {
        return timeZone;
    }
}
