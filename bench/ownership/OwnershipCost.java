import dev.dolly.core.engine.EngineUser;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times {@code EngineUser.takeOwnership}, what a container's first start does to the clone of its image, on a fresh
 * clone each run, and {@code chown -R} for comparison; wall time and CPU time. As root, single-file source:
 *
 * <pre>
 * java -cp dolly-core/target/classes:dolly-api/target/classes:SLF4J_API_JAR bench/ownership/OwnershipCost.java DRIVER BASE RUNS
 * </pre>
 *
 * DRIVER is {@code btrfs} (BASE/image a subvolume), {@code reflink} (BASE on XFS), {@code overlay} or
 * {@code overlay-without-metacopy} (BASE on ext4); BASE/image holds the data directory to clone.
 */
public class OwnershipCost
{
    public static void main(String[] arguments)
            throws Exception
    {
        String driver = arguments[0];
        Path base = Path.of(arguments[1]);
        int runs = Integer.parseInt(arguments[2]);
        List<Double> java = new ArrayList<>();
        List<Double> command = new ArrayList<>();
        List<Double> javaCpu = new ArrayList<>();
        List<Double> commandCpu = new ArrayList<>();
        var threads = ManagementFactory.getThreadMXBean();
        // warm-up of the JIT on a clone that is not counted
        clone(driver, base, "warm");
        EngineUser.ofIds(2_000_099_000, 2_000_099_000).takeOwnership(data(driver, base, "warm"));
        drop(driver, base, "warm");
        for (int run = 0; run < runs; run++) {
            String name = "clone-" + run;
            clone(driver, base, name);
            EngineUser account = EngineUser.ofIds(2_000_099_100 + run, 2_000_099_100 + run);
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            account.takeOwnership(data(driver, base, name));
            java.add((System.nanoTime() - start) / 1e6);
            javaCpu.add((threads.getCurrentThreadCpuTime() - cpu) / 1e6);
            System.out.println(driver + " takeOwnership run " + run + ": " + java.getLast() + " ms, cpu " + javaCpu.getLast() + " ms, upper " + upper(driver, base, name));
            drop(driver, base, name);

            clone(driver, base, name);
            start = System.nanoTime();
            String[] times = output("/usr/bin/time", "-f", "%U %S", "chown", "-R", "-h", (2_000_099_200 + run) + ":" + (2_000_099_200 + run), data(driver, base, name).toString())
                    .strip().split("\\s+");
            command.add((System.nanoTime() - start) / 1e6);
            commandCpu.add((Double.parseDouble(times[0]) + Double.parseDouble(times[1])) * 1000);
            System.out.println(driver + " chown -R run " + run + ": " + command.getLast() + " ms, upper " + upper(driver, base, name));
            drop(driver, base, name);
        }
        System.out.println("RESULT " + driver + " takeOwnership wall median " + median(java) + " ms " + java + " cpu median " + median(javaCpu) + " ms " + javaCpu
                + "; chown -R wall median " + median(command) + " ms " + command + " cpu median " + median(commandCpu) + " ms " + commandCpu);
    }

    private static Path data(String driver, Path base, String name)
    {
        return driver.startsWith("overlay") ? base.resolve(name).resolve("merged") : base.resolve(name);
    }

    private static String upper(String driver, Path base, String name)
            throws Exception
    {
        if (!driver.startsWith("overlay")) {
            return "-";
        }
        return output("du", "-sk", base.resolve(name).resolve("upper").toString()).split("\\s")[0] + " KiB";
    }

    private static void clone(String driver, Path base, String name)
            throws Exception
    {
        Path image = base.resolve("image");
        Path target = base.resolve(name);
        switch (driver) {
            case "btrfs" -> run("btrfs", "subvolume", "snapshot", image.toString(), target.toString());
            case "reflink" -> run("cp", "-a", "--reflink=always", image.toString(), target.toString());
            case "overlay", "overlay-without-metacopy" -> {
                Files.createDirectories(target.resolve("upper"));
                Files.createDirectories(target.resolve("work"));
                Files.createDirectories(target.resolve("merged"));
                String options = "lowerdir=" + image + ",upperdir=" + target.resolve("upper") + ",workdir=" + target.resolve("work")
                        + (driver.equals("overlay") ? ",metacopy=on" : "");
                run("mount", "-t", "overlay", "overlay", "-o", options, target.resolve("merged").toString());
            }
            default -> throw new IllegalArgumentException(driver);
        }
    }

    private static void drop(String driver, Path base, String name)
            throws Exception
    {
        Path target = base.resolve(name);
        switch (driver) {
            case "btrfs" -> run("btrfs", "subvolume", "delete", target.toString());
            case "overlay", "overlay-without-metacopy" -> {
                run("umount", target.resolve("merged").toString());
                run("rm", "-rf", target.toString());
            }
            default -> run("rm", "-rf", target.toString());
        }
    }

    private static void run(String... command)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static String output(String... command)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return text;
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
