package io.engagement.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of each process of the local stack (the pid files under {@code $ENGAGEMENT_STACK_DIR/run}),
 * read from {@code /proc/<pid>/stat} at the start and the end of a run: on two shared cores, what the
 * broker and ClickHouse take is what the TaskManager does not get.
 */
final class StackCpu {

    /** Linux reports utime and stime in clock ticks of 1/100 s on every platform this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> ticksAtStart;
    private final long startNanos = System.nanoTime();

    private StackCpu(Map<String, Long> ticksAtStart) {
        this.ticksAtStart = ticksAtStart;
    }

    static StackCpu start() {
        return new StackCpu(ticksByProcess());
    }

    /** Cores used by each process since {@link #start}, largest first: "flink-taskmanager 1.10, clickhouse 0.52, ...". */
    String coresSinceStart() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> now = ticksByProcess();
        return now.entrySet().stream()
                .filter(e -> ticksAtStart.containsKey(e.getKey()))
                .map(e -> Map.entry(
                        e.getKey(), (e.getValue() - ticksAtStart.get(e.getKey())) / TICKS_PER_SECOND / seconds))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static Map<String, Long> ticksByProcess() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        String stackDir = System.getenv("ENGAGEMENT_STACK_DIR");
        if (stackDir == null) {
            return ticks;
        }
        try (Stream<Path> pidFiles = Files.list(Path.of(stackDir, "run"))) {
            for (Path pidFile :
                    pidFiles.filter(p -> p.toString().endsWith(".pid")).toList()) {
                String pid = Files.readString(pidFile).replaceAll("[^0-9]", "");
                Path stat = Path.of("/proc", pid, "stat");
                if (!pid.isEmpty() && Files.isReadable(stat)) {
                    // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
                    String line = Files.readString(stat);
                    String after = line.substring(line.lastIndexOf(')') + 2);
                    String[] fields = after.split(" ");
                    ticks.put(
                            pidFile.getFileName().toString().replace(".pid", ""),
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read the stack's CPU times: " + e);
        }
        return ticks;
    }
}
