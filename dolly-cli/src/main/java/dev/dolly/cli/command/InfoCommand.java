package dev.dolly.cli.command;

import dev.dolly.api.ServerInfo;
import dev.dolly.api.ServerInfo.EngineInfo;
import dev.dolly.api.client.DollyClient;
import dev.dolly.cli.output.Printer;
import dev.dolly.cli.output.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/** {@code dolly info}: what the daemon runs on, and which engines it offers. */
@Command(name = "info", description = "Show the daemon's version, home, storage driver and engines.")
final class InfoCommand
        implements Callable<Integer>
{
    private final CommandContext context;

    @Mixin
    GlobalOptions global;

    @Mixin
    OutputOptions output;

    InfoCommand(CommandContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call()
    {
        DollyClient client = new DaemonConnector(context).connect(global);
        ServerInfo info = client.info();
        Info result = new Info(
                client.server().toString(),
                info.version(),
                DollyVersion.version(),
                info.home(),
                info.storageDriver(),
                info.storageDriverReason(),
                info.engineUser(),
                info.engines() == null ? List.of() : info.engines(),
                info.storageTotalBytes(),
                info.storageUsedBytes(),
                info.storageFreeBytes(),
                info.isolation(),
                info.containerPorts(),
                info.routes());
        if (output.structured()) {
            new Printer(context.stdout()).print(result, output.format);
        }
        else {
            print(result, context.stdout());
        }
        return 0;
    }

    private static void print(Info info, PrintStream out)
    {
        field(out, "Server:", info.server());
        field(out, "Version:", info.version());
        field(out, "CLI version:", info.cliVersion());
        field(out, "Home:", info.home());
        field(out, "Storage driver:", info.storageDriver());
        if (info.storageDriverReason() != null && !info.storageDriverReason().isBlank()) {
            field(out, "", info.storageDriverReason());
        }
        if (info.storageTotalBytes() != null && info.storageUsedBytes() != null && info.storageFreeBytes() != null) {
            field(out, "Storage space:", Cells.bytes(info.storageUsedBytes()) + " used of " + Cells.bytes(info.storageTotalBytes()) + ", "
                    + Cells.bytes(info.storageFreeBytes()) + " free");
        }
        field(out, "Engine user:", info.engineUser());
        if (info.containerPorts() != null) {
            field(out, "Container ports:", info.containerPorts());
        }
        if (info.routes() != null) {
            field(out, "Routes:", info.routes());
        }
        if (info.isolation() != null) {
            ServerInfo.Isolation isolation = info.isolation();
            out.println("Isolation:");
            field(out, "  Accounts:", isolation.accounts());
            field(out, "  Namespaces:", isolation.namespaces());
            field(out, "  Cgroups:", isolation.cgroups());
            if (isolation.memoryLimitBytes() != null && isolation.processLimit() != null) {
                field(out, "  Limits:", Cells.bytes(isolation.memoryLimitBytes()) + " of memory, " + isolation.processLimit() + " processes per container");
            }
        }
        out.println("Engines:");
        TableWriter engines = new TableWriter("ENGINE", "DEFAULT", "INSTALLED", "AVAILABLE MAJORS", "SYSTEM INSTALLATIONS");
        for (EngineInfo engine : info.engines()) {
            engines.addRow(engine.engine(), engine.defaultVersion(), Cells.list(engine.installedVersions()),
                    Cells.list(engine.availableMajors()), Cells.list(engine.systemInstallations()));
        }
        engines.lines().forEach(line -> out.println("  " + line));
    }

    private static void field(PrintStream out, String label, String value)
    {
        out.printf("%-16s %s%n", label, value == null ? "" : value);
    }

    /** What {@code dolly info -o json} prints: the daemon's information, where it is, and the CLI's version. */
    record Info(
            String server,
            String version,
            String cliVersion,
            String home,
            String storageDriver,
            String storageDriverReason,
            String engineUser,
            List<EngineInfo> engines,
            Long storageTotalBytes,
            Long storageUsedBytes,
            Long storageFreeBytes,
            ServerInfo.Isolation isolation,
            String containerPorts,
            String routes) {}
}
