package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly get data-containers}, or {@code dolly get data-container REF} for one. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"data-containers", "datacontainer", "datacontainers", "dc"},
        description = "List the data containers, or show one.")
final class GetDataContainersCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Parameters(arity = "0..1", paramLabel = "CONTAINER", description = "The container to show: its name or ID.")
    String reference;

    @Option(names = {"-i", "--image"}, paramLabel = "IMAGE", description = "Only containers of this image: an ID or name:tag, or a name for every image of it.")
    String image;

    GetDataContainersCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        if (reference == null) {
            ContainerTable.output(context).printList(image == null ? client.listContainers() : client.listContainers(image), output, global.quiet);
        }
        else if (image != null) {
            throw new ParameterException(spec.commandLine(), "Give a container, or filter with --image, not both.");
        }
        else {
            DataContainer container = client.getContainer(reference);
            ContainerTable.output(context).printOne(container, output, global.quiet);
            if (container.following() != null && !output.structured() && !global.quiet) {
                ContainerTable.printFollowing(context.stdout(), container.following(), context.now());
            }
            if (!output.structured() && !global.quiet) {
                ContainerTable.printIdleStop(context.stdout(), container);
            }
        }
        return 0;
    }
}
