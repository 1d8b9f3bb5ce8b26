package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DataImage;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The candidates for the last word of a {@code dolly} command line, from the commands' own model (subcommands,
 * options, their values) and, for an image or container argument, the names the daemon has. An argument is an image
 * or a container by its label ({@code IMAGE}, {@code IMAGE[:TAG]}, {@code CONTAINER}).
 */
final class Completions
{
    static final String COMMAND = "__complete";
    /** The answer that asks the shell to complete file names. */
    static final String FILES = ":files";

    private final CommandSpec root;
    private final Names names;

    Completions(CommandSpec root, Names names)
    {
        this.root = requireNonNull(root, "root is null");
        this.names = requireNonNull(names, "names is null");
    }

    /** @param words the words after the command's name; the last one is being completed */
    List<String> candidates(List<String> words)
    {
        List<String> given = words.isEmpty() ? List.of("") : words;
        String current = given.getLast();
        CommandSpec command = root;
        int positionals = 0;
        OptionSpec valueOf = null;
        boolean optionsEnded = false;
        for (int index = 0; index < given.size() - 1; index++) {
            String word = given.get(index);
            if (!optionsEnded && word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (!optionsEnded && word.startsWith("-") && word.length() > 1) {
                OptionSpec option = command.findOption(word.contains("=") ? word.substring(0, word.indexOf('=')) : word);
                if (option != null && option.arity().max() > 0 && !word.contains("=")) {
                    index++;
                    if (index == given.size() - 1) {
                        valueOf = option;
                    }
                }
                continue;
            }
            CommandLine subcommand = positionals == 0 ? command.subcommands().get(word) : null;
            if (subcommand != null) {
                command = subcommand.getCommandSpec();
                continue;
            }
            positionals++;
        }
        if (valueOf != null) {
            return matching(values(valueOf), current);
        }
        if (!optionsEnded && current.startsWith("-")) {
            return matching(command.options().stream()
                    .filter(option -> !option.hidden())
                    .flatMap(option -> Stream.of(option.names())), current);
        }
        List<String> candidates = new ArrayList<>();
        if (positionals == 0) {
            command.subcommands().values().stream()
                    .map(CommandLine::getCommandSpec)
                    .filter(subcommand -> !subcommand.usageMessage().hidden())
                    .map(CommandSpec::name)
                    .distinct()
                    .forEach(candidates::add);
        }
        Optional<PositionalParamSpec> positional = positional(command, positionals);
        if (positional.isPresent()) {
            List<String> values = values(positional.get());
            if (values.equals(List.of(FILES))) {
                return values;
            }
            candidates.addAll(values);
        }
        return matching(candidates.stream(), current);
    }

    private static Optional<PositionalParamSpec> positional(CommandSpec command, int position)
    {
        return command.positionalParameters().stream()
                .filter(parameter -> !parameter.hidden())
                .filter(parameter -> parameter.index().min() <= position && position <= parameter.index().max())
                .findFirst();
    }

    private List<String> values(ArgSpec argument)
    {
        String label = argument.paramLabel().toUpperCase(Locale.ROOT);
        if (label.startsWith("IMAGE")) {
            return names.images();
        }
        if (label.startsWith("CONTAINER")) {
            return names.containers();
        }
        if (label.equals("FILE") || label.equals("DIRECTORY")) {
            return List.of(FILES);
        }
        List<String> candidates = new ArrayList<>();
        if (argument.completionCandidates() != null) {
            argument.completionCandidates().forEach(candidates::add);
        }
        return candidates;
    }

    private static List<String> matching(Stream<String> candidates, String prefix)
    {
        List<String> list = candidates.filter(candidate -> candidate.startsWith(prefix)).toList();
        return list.equals(List.of(FILES)) ? list : new ArrayList<>(new TreeSet<>(list));
    }

    private static List<String> matching(List<String> candidates, String prefix)
    {
        if (candidates.equals(List.of(FILES))) {
            return candidates;
        }
        return matching(candidates.stream(), prefix);
    }

    /** The names of images and containers the caller may use. */
    interface Names
    {
        List<String> images();

        List<String> containers();
    }

    /**
     * The names the daemon has, asked with the settings a command would use; none when no daemon runs (a completion
     * never starts one) or it cannot be asked.
     */
    static final class DaemonNames
            implements Names
    {
        private final CommandContext context;

        DaemonNames(CommandContext context)
        {
            this.context = requireNonNull(context, "context is null");
        }

        @Override
        public List<String> images()
        {
            return client().map(client -> {
                Set<String> names = new TreeSet<>();
                for (DataImage image : client.listImages()) {
                    names.add(image.name());
                    image.tags().forEach(tag -> names.add(image.name() + ":" + tag));
                }
                return List.copyOf(names);
            }).orElse(List.of());
        }

        @Override
        public List<String> containers()
        {
            return client().map(client -> client.listContainers().stream().map(DataContainer::name).sorted().toList()).orElse(List.of());
        }

        private Optional<DollyClient> client()
        {
            try {
                return new DaemonConnector(context).connectIfRunning(new GlobalOptions());
            }
            catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }
}
