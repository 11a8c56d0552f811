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

    private static final String TASK_MANAGER = "flink-taskmanager";
    private static final String OTHER = "tasks and other";

    /** Linux reports utime and stime in clock ticks of 1/100 s on every platform this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, Long> ticksAtStart;
    /** The TaskManager's threads at the start: thread id -> CPU ticks. */
    private final Map<String, Long> taskManagerThreadsAtStart;

    private final long startNanos = System.nanoTime();

    private StackCpu(Map<String, Long> ticksAtStart, Map<String, Long> taskManagerThreadsAtStart) {
        this.ticksAtStart = ticksAtStart;
        this.taskManagerThreadsAtStart = taskManagerThreadsAtStart;
    }

    static StackCpu start() {
        Map<String, Long> threads = new LinkedHashMap<>();
        taskManagerThreads((tid, kind, ticks) -> threads.put(tid, ticks));
        return new StackCpu(ticksByProcess(), threads);
    }

    /**
     * Cores the TaskManager used since {@link #start}: its JIT compiler and its collector (threads that
     * live as long as the JVM), and the rest (task threads, RocksDB, Kafka clients, network: threads of
     * the job, ended by the time the run is read, so the process's total less the first two): "tasks
     * and other 0.90, JIT compiler 0.25, GC and VM 0.12". On a run of a minute or two on two cores the
     * JIT and the collector are a fifth or more of the TaskManager (docs/benchmarks.md).
     */
    String taskManagerSinceStart() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Long processAtStart = ticksAtStart.get(TASK_MANAGER);
        Long processNow = ticksByProcess().get(TASK_MANAGER);
        if (processAtStart == null || processNow == null) {
            return "?";
        }
        Map<String, Long> byKind = ticksByKindSinceStart(processNow - processAtStart);
        return byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / TICKS_PER_SECOND / seconds))
                .collect(Collectors.joining(", "));
    }

    /**
     * CPU time per message since {@link #start}, in microseconds: the TaskManager's (by the kinds of
     * {@link #taskManagerSinceStart}) and the whole stack's (broker, ClickHouse, JobManager too):
     * "TaskManager 96 (tasks and other 68, JIT compiler 19, GC and VM 9), stack 131". It moves less than
     * events per second when the machine hands the stack fewer cores, so an A/B of a CPU saving compares
     * it, pair by pair (docs/benchmarks.md).
     */
    String microsPerMessageSinceStart(long messages) {
        Long processAtStart = ticksAtStart.get(TASK_MANAGER);
        Map<String, Long> now = ticksByProcess();
        Long processNow = now.get(TASK_MANAGER);
        if (processAtStart == null || processNow == null || messages <= 0) {
            return "?";
        }
        Map<String, Long> byKind = ticksByKindSinceStart(processNow - processAtStart);
        long stack = now.entrySet().stream()
                .filter(e -> ticksAtStart.containsKey(e.getKey()))
                .mapToLong(e -> e.getValue() - ticksAtStart.get(e.getKey()))
                .sum();
        return String.format(
                "TaskManager %.0f (%s), stack %.0f",
                micros(processNow - processAtStart, messages),
                byKind.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .map(e -> String.format("%s %.0f", e.getKey(), micros(e.getValue(), messages)))
                        .collect(Collectors.joining(", ")),
                micros(stack, messages));
    }

    /**
     * The TaskManager's CPU ticks since {@link #start} by thread kind: the JIT's and the collector's
     * threads read one by one, the rest ({@link #OTHER}) the process's total less those.
     */
    private Map<String, Long> ticksByKindSinceStart(long processTicks) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        taskManagerThreads((tid, kind, ticks) -> {
            if (!kind.equals(OTHER)) {
                byKind.merge(kind, ticks - taskManagerThreadsAtStart.getOrDefault(tid, 0L), Long::sum);
            }
        });
        long jvm = byKind.values().stream().mapToLong(Long::longValue).sum();
        byKind.put(OTHER, Math.max(0, processTicks - jvm));
        return byKind;
    }

    private static double micros(long ticks, long messages) {
        return ticks / TICKS_PER_SECOND * 1e6 / messages;
    }

    private interface ThreadTicks {
        void accept(String threadId, String kind, long ticks);
    }

    /** Each thread of the TaskManager with its kind, from its name (Linux keeps 15 characters of it). */
    private static void taskManagerThreads(ThreadTicks consumer) {
        String stackDir = System.getenv("ENGAGEMENT_STACK_DIR");
        if (stackDir == null) {
            return;
        }
        try {
            Path pidFile = Path.of(stackDir, "run", TASK_MANAGER + ".pid");
            if (!Files.isReadable(pidFile)) {
                return;
            }
            String pid = Files.readString(pidFile).replaceAll("[^0-9]", "");
            try (Stream<Path> threads = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path thread : threads.toList()) {
                    try {
                        String name = Files.readString(thread.resolve("comm")).trim();
                        consumer.accept(
                                thread.getFileName().toString(), threadKind(name), ticks(thread.resolve("stat")));
                    } catch (IOException | RuntimeException ended) {
                        // the thread ended between the listing and the read
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read the TaskManager's threads: " + e);
        }
    }

    /** The JVM's own threads by kind; every other thread is {@link #OTHER}. */
    static String threadKind(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "GC and VM";
        }
        return OTHER;
    }

    private static long ticks(Path stat) throws IOException {
        // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
                    ticks.put(pidFile.getFileName().toString().replace(".pid", ""), ticks(stat));
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot read the stack's CPU times: " + e);
        }
        return ticks;
    }
}
