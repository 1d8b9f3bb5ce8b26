package dev.dolly.cli.command;

import dev.dolly.api.DataContainer;
import dev.dolly.api.DollyException;
import dev.dolly.api.ErrorCode;
import dev.dolly.api.client.DollyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly delete data-container REF...}, or {@code --image IMAGE} for every container of an image. */
@Command(
        name = Aliases.DATA_CONTAINER,
        aliases = {"data-containers", "datacontainer", "datacontainers", "dc"},
        description = "Delete data containers: stops their servers and removes their data.")
final class DeleteDataContainersCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "0..*", paramLabel = "CONTAINER", description = "The containers to delete: names or IDs.")
    List<String> references = new ArrayList<>();

    @Option(names = {"-i", "--image"}, paramLabel = "IMAGE", description = "Delete every container of this image: an ID or name:tag, or a name for every image of it.")
    String image;

    @Option(names = "--ignore-not-found", description = "Succeed when a container (or the --image) does not exist (for scripts that clean up).")
    boolean ignoreNotFound;

    DeleteDataContainersCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        if (references.isEmpty() && image == null) {
            throw new ParameterException(spec.commandLine(), "Which containers? Name them, or give --image IMAGE for every container of an image.");
        }
        DollyClient client = new DaemonConnector(context).connect(global);
        List<String> toDelete = new ArrayList<>(references);
        if (image != null) {
            try {
                client.listContainers(image).forEach(container -> toDelete.add(String.valueOf(container.id())));
            }
            catch (DollyException e) {
                if (!(ignoreNotFound && e.errorCode() == ErrorCode.NOT_FOUND)) {
                    throw e;
                }
            }
        }
        return new Deletion(context, "Data container").deleteEach(toDelete, reference -> {
            DataContainer deleted = client.deleteContainer(reference);
            return deleted == null ? null : deleted.name();
        }, global.quiet, ignoreNotFound);
    }
}
