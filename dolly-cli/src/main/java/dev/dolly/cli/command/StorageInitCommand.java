package dev.dolly.cli.command;

import dev.dolly.api.DollyException;
import dev.dolly.api.InitializeStorageRequest;
import dev.dolly.api.ServerInfo;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code dolly storage init --size 50G [--fs btrfs|xfs]}: gives Dolly's storage a loop-mounted copy-on-write file
 * system, for hosts whose own file system cannot share blocks.
 */
@Command(
        name = "init",
        description = {
                "Put Dolly's storage on a new loop-mounted copy-on-write file system kept in a file of DOLLY_HOME (needs a daemon running as root).",
                "For hosts on ext4, where containers would otherwise be full copies. The file is sparse: disk is used as data is written.",
                "The daemon mounts it again whenever it starts. Only possible while there are no images or containers."})
final class StorageInitCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    @Option(names = "--size", required = true, paramLabel = "SIZE", description = "The file system's size, such as 50G, 512M or 2T.")
    String size;

    @Option(names = "--fs", paramLabel = "TYPE", defaultValue = "btrfs", description = "btrfs (default) or xfs (with reflink).")
    String fileSystem;

    StorageInitCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        long bytes = parseSize(size);
        DollyClient client = new DaemonConnector(context).connect(global);
        ServerInfo info = client.initializeStorage(new InitializeStorageRequest(bytes, fileSystem.toLowerCase(Locale.ROOT)));
        if (output.structured()) {
            new Printer(context.stdout()).print(info, output.format);
        }
        else if (global.quiet) {
            context.stdout().println(info.storageDriver());
        }
        else {
            context.stdout().println("Dolly's storage is now a " + fileSystem.toLowerCase(Locale.ROOT) + " file system of " + size + " in " + info.home() + "/storage.img.");
            context.stdout().println("Storage driver: " + info.storageDriver() + " (" + info.storageDriverReason() + ")");
        }
        return 0;
    }

    /** Sizes such as {@code 50G}, {@code 512M}, {@code 2T}, in powers of 1024. */
    static long parseSize(String text)
    {
        String value = text.strip().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long multiplier = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        String digits = multiplier == 1 ? value : value.substring(0, value.length() - 1);
        try {
            long number = Long.parseLong(digits);
            if (number <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(number, multiplier);
        }
        catch (NumberFormatException | ArithmeticException e) {
            throw DollyException.badInput("--size '" + text + "' is not a size: write it like 50G, 512M or 2T.");
        }
    }
}
