package io.engagement.pipeline.testing;

import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The current ClickHouse engine (chDB, installed by deploy/install-chdb.sh) behind the HTTP front of
 * job/src/test/chdb/chdb_http.py, started as a separate process on a free loopback port with its data in
 * a temporary directory, and stopped on close. An engine-level check: the SQL runs in ClickHouse
 * 26.x itself; the HTTP layer (URL parameters, readonly, authentication) is the front's, not a
 * server's.
 */
public final class ChdbTestServer implements ClickHouseEndpoint {

    static final Path LIBRARY = Path.of(
            System.getenv()
                    .getOrDefault("ENGAGEMENT_CHDB_DIR", System.getProperty("user.home") + "/.cache/engagement-chdb"),
            "package",
            "libchdb.so");
    private static final Path FRONT = Path.of("job/src/test/chdb/chdb_http.py");

    private final Path dir;
    private final Process process;
    private final int port;
    private final ClickHouseHttp http;

    private ChdbTestServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.http = new ClickHouseHttp(httpUrl(), "default", "");
    }

    /**
     * With the project's schema in database {@code engagement}, its event-level tables expiring after
     * {@code retentionDays} (table TTL: fixtures with fixed dates need a period that keeps them).
     */
    public static ChdbTestServer startWithSchema(int retentionDays) throws Exception {
        ChdbTestServer server = start();
        try {
            ApplySchema.apply(server.http, Path.of("sql/ddl"), "engagement", null, retentionDays);
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    public static ChdbTestServer start() throws Exception {
        if (!Files.isReadable(LIBRARY)) {
            throw new IllegalStateException(LIBRARY + " not found: install chDB with deploy/install-chdb.sh "
                    + "(the README test command does this)");
        }
        Path dir = Files.createTempDirectory("chdb-test");
        int port = ClickHouseTestServer.freePort();
        Process process = new ProcessBuilder(
                        python(),
                        FRONT.toString(),
                        "--lib",
                        LIBRARY.toString(),
                        "--data",
                        dir.resolve("data").toString(),
                        "--port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("front.log").toFile()))
                .start();
        ChdbTestServer server = new ChdbTestServer(dir, process, port);
        try {
            server.awaitReady();
        } catch (IllegalStateException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Debian's python3 (the front needs only the standard library), else the first on the PATH. */
    private static String python() {
        String configured = System.getenv("ENGAGEMENT_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private void awaitReady() throws Exception {
        // Loading the 566 MB library takes a few seconds on a cold page cache.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!http.ping()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the chDB front exited with " + process.exitValue() + ":\n"
                        + Files.readString(dir.resolve("front.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the chDB front did not answer /ping within 90 s:\n"
                        + Files.readString(dir.resolve("front.log")));
            }
            Thread.sleep(100);
        }
    }

    @Override
    public ClickHouseHttp http() {
        return http;
    }

    @Override
    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        ServerProcesses.stop(process);
        try {
            ServerProcesses.deleteTree(dir);
        } catch (IOException e) {
            // a leftover temporary directory is not a test failure
        }
    }
}
