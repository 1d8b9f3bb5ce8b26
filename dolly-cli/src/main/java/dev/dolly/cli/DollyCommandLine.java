package dev.dolly.cli;

import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.cli.command.CommandContext;
import dev.dolly.cli.command.CommandFactory;
import dev.dolly.cli.command.DollyCommand;
import dev.dolly.cli.output.NextSteps;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code dolly} command line, runnable in-process: give it an environment and streams, get an exit code.
 * Failures print {@code Error: <message>} on stderr and exit with the code of their {@link ErrorCode}; usage errors
 * exit with 3.
 */
public final class DollyCommandLine
{
    static final String DEBUG_VARIABLE = "DOLLY_DEBUG";

    private final CommandContext context;

    public DollyCommandLine(Map<String, String> environment, PrintStream stdout, PrintStream stderr, InputStream stdin)
    {
        this(environment, stdout, stderr, stdin, LauncherSettings.fromSystemProperties());
    }

    public DollyCommandLine(Map<String, String> environment, PrintStream stdout, PrintStream stderr, InputStream stdin, LauncherSettings launcherSettings)
    {
        this(CommandContext.of(environment, stdout, stderr, stdin, launcherSettings));
    }

    public DollyCommandLine(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    public int run(String... args)
    {
        CommandFactory factory = new CommandFactory(context);
        CommandLine commandLine = new CommandLine(DollyCommand.class, factory);
        // picocli reads every command class's annotations when it builds a command's model, about 0.4 s for all of
        // dolly's (most of a command's start): a command line that starts with a command's name gets only that
        // command's model; usage, completion and unknown names get them all
        List<Class<?>> commands = args.length == 0 ? DollyCommand.COMMANDS : DollyCommand.buildableAlone(args[0]).map(List::<Class<?>>of).orElse(DollyCommand.COMMANDS);
        for (Class<?> command : commands) {
            commandLine.addSubcommand(new CommandLine(command, factory));
        }
        commandLine.setCommandName(context.launcherSettings().commandName())
                .setOut(new PrintWriter(new OutputStreamWriter(context.stdout(), context.stdout().charset()), true))
                .setErr(new PrintWriter(new OutputStreamWriter(context.stderr(), context.stderr().charset()), true))
                .setParameterExceptionHandler(this::usageError)
                .setExecutionExceptionHandler(this::failure);
        try {
            return commandLine.execute(args);
        }
        finally {
            context.stdout().flush();
            context.stderr().flush();
        }
    }

    private int usageError(ParameterException exception, String[] args)
    {
        PrintWriter err = exception.getCommandLine().getErr();
        err.println("Error: " + exception.getMessage());
        UnmatchedArgumentException.printSuggestions(exception, err);
        err.println("Run '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ErrorCode.BAD_INPUT.exitCode();
    }

    private int failure(Exception exception, CommandLine commandLine, ParseResult parseResult)
    {
        if (exception instanceof ParameterException parameterException) {
            return usageError(parameterException, parseResult.originalArgs().toArray(String[]::new));
        }
        context.stdout().flush();
        boolean debug = context.variable(DEBUG_VARIABLE).isPresent();
        if (exception instanceof DollyException dollyException) {
            context.stderr().println("Error: " + NextSteps.describe(dollyException));
            if (debug) {
                dollyException.printStackTrace(context.stderr());
            }
            return dollyException.errorCode().exitCode();
        }
        context.stderr().println("Error: " + exception);
        if (debug) {
            exception.printStackTrace(context.stderr());
        }
        else {
            context.stderr().println("This is a bug in dolly. Run the command again with " + DEBUG_VARIABLE + "=1 to see where it happened.");
        }
        return ErrorCode.INTERNAL_ERROR.exitCode();
    }
}
