package io.engagement.pipeline.testing;

import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ClickHouse server (Debian's clickhouse-server package) started by the test on free loopback
 * ports in a temporary directory, with the project's schema applied, and stopped on close.
 */
public final class ClickHouseTestServer implements ClickHouseEndpoint {

    private static final Path BINARY =
            Path.of(System.getenv().getOrDefault("CLICKHOUSE_SERVER_BIN", "/usr/sbin/clickhouse-server"));

    private final Path dir;
    private Process process;
    private final int httpPort;
    private final int tcpPort;
    private final ClickHouseHttp http;

    private ClickHouseTestServer(Path dir, Process process, int httpPort, int tcpPort) {
        this.dir = dir;
        this.process = process;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.http = new ClickHouseHttp("http://127.0.0.1:" + httpPort, "default", "");
    }

    public static ClickHouseTestServer startWithSchema() throws Exception {
        ClickHouseTestServer server = start();
        ApplySchema.apply(server.http, Path.of("sql/ddl"));
        return server;
    }

    public static ClickHouseTestServer start() throws Exception {
        return start(freePort(), freePort(), "", "");
    }

    /**
     * A server that also answers HTTPS on {@link #httpsPort} with the certificates of
     * {@code certificates} (a private CA's server certificate for 127.0.0.1).
     */
    public static ClickHouseTestServer startWithHttps(TestCertificates certificates, int httpsPort) throws Exception {
        return start(
                freePort(),
                freePort(),
                """
                    <https_port>%d</https_port>
                    <openSSL><server>
                        <certificateFile>%s</certificateFile>
                        <privateKeyFile>%s</privateKeyFile>
                        <verificationMode>none</verificationMode>
                        <loadDefaultCAFile>false</loadDefaultCAFile>
                        <cacheSessions>true</cacheSessions>
                        <disableProtocols>sslv2,sslv3</disableProtocols>
                        <preferServerCiphers>true</preferServerCiphers>
                    </server></openSSL>
                """.formatted(httpsPort, certificates.serverChainPem, certificates.serverKeyPem),
                "");
    }

    /**
     * A server on the given ports with {@code extraConfig} added to its config.xml and
     * {@code profileSettings} to its default profile (a cluster node: {@link ClickHouseTestCluster}).
     */
    static ClickHouseTestServer start(int httpPort, int tcpPort, String extraConfig, String profileSettings)
            throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install ClickHouse with deploy/install-deps.sh "
                    + "(the README test command does this)");
        }
        Path dir = Files.createTempDirectory("clickhouse-test");
        Files.writeString(dir.resolve("users.xml"), USERS.replace("@PROFILE@", profileSettings));
        Files.writeString(
                dir.resolve("config.xml"),
                CONFIG.replace("@DIR@", dir.toString())
                        .replace("@HTTP_PORT@", Integer.toString(httpPort))
                        .replace("@TCP_PORT@", Integer.toString(tcpPort))
                        .replace("@EXTRA@", extraConfig));
        ClickHouseTestServer server = new ClickHouseTestServer(dir, launch(dir), httpPort, tcpPort);
        try {
            server.awaitReady();
        } catch (IllegalStateException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Process launch(Path dir) throws IOException {
        return new ProcessBuilder(BINARY.toString(), "--config-file=" + dir.resolve("config.xml"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("stdout.log").toFile()))
                .start();
    }

    /** Lines error.log had before the current start (its errors are reported, not the earlier runs'). */
    private int errorLinesBeforeStart;

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!http.ping()) {
            if (!process.isAlive()) {
                Path errors = dir.resolve("error.log");
                List<String> errorLines = Files.exists(errors) ? Files.readAllLines(errors) : List.of();
                // Only this start's lines: a restarted server's log begins with the earlier runs' errors
                // (harmless "Retrying createReplica()" lines hid the refusal that the cluster test
                // recovers from). The first error lines name the cause; the stack traces after them do not.
                errorLines = errorLines.subList(Math.min(errorLinesBeforeStart, errorLines.size()), errorLines.size());
                String causes = errorLines.stream()
                        .filter(l -> l.contains("<Error>"))
                        .limit(5)
                        .map(l -> l.length() > 600 ? l.substring(0, 600) + "..." : l)
                        .collect(java.util.stream.Collectors.joining("\n"));
                throw new IllegalStateException("clickhouse-server exited with " + process.exitValue() + ":\n"
                        + Files.readString(dir.resolve("stdout.log")) + causes);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clickhouse-server did not answer /ping within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** Stops the server (SIGTERM), keeping its data and ports, as in an outage or a restart. */
    public void shutDown() throws Exception {
        ServerProcesses.stop(process);
    }

    /** Kills the server (SIGKILL: no shutdown, as in a crash), keeping its data and ports. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same ports and data after {@link #shutDown()} or {@link #kill()}. */
    public void startAgain() throws Exception {
        Path errors = dir.resolve("error.log");
        errorLinesBeforeStart =
                Files.exists(errors) ? Files.readAllLines(errors).size() : 0;
        process = launch(dir);
        awaitReady();
    }

    /**
     * Starts the server again with the {@code force_restore_data} flag: ClickHouse's documented
     * recovery for a replica that refuses to start because its local parts do not match ZooKeeper
     * (after a crash mid-insert); it detaches the unexpected parts and fetches from the other replicas.
     */
    public void startAgainRestoringReplicas() throws Exception {
        Path flags = dir.resolve("data").resolve("flags");
        Files.createDirectories(flags);
        Files.writeString(flags.resolve("force_restore_data"), "");
        startAgain();
    }

    @Override
    public ClickHouseHttp http() {
        return http;
    }

    /** The native protocol port (cluster definitions, {@code remote()}). */
    public int tcpPort() {
        return tcpPort;
    }

    @Override
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String jdbcUrl() {
        return "jdbc:clickhouse://127.0.0.1:" + httpPort + "?compress=false";
    }

    public void pause() throws Exception {
        signal("STOP");
    }

    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    @Override
    public void close() throws Exception {
        ServerProcesses.stop(process);
        ServerProcesses.deleteTree(dir);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static final String CONFIG = """
            <?xml version="1.0"?>
            <yandex>
                <logger>
                    <level>warning</level>
                    <log>@DIR@/server.log</log>
                    <errorlog>@DIR@/error.log</errorlog>
                    <console>0</console>
                </logger>
                <listen_host>127.0.0.1</listen_host>
                <http_port>@HTTP_PORT@</http_port>
                <tcp_port>@TCP_PORT@</tcp_port>
                <path>@DIR@/data/</path>
                <tmp_path>@DIR@/tmp/</tmp_path>
                <user_files_path>@DIR@/user_files/</user_files_path>
                <format_schema_path>@DIR@/format_schemas/</format_schema_path>
                <users_config>users.xml</users_config>
                <default_profile>default</default_profile>
                <default_database>default</default_database>
                <timezone>UTC</timezone>
                <mark_cache_size>268435456</mark_cache_size>
                <max_concurrent_queries>50</max_concurrent_queries>
            @EXTRA@
            </yandex>
            """;

    private static final String USERS = """
            <?xml version="1.0"?>
            <yandex>
                <profiles><default><max_memory_usage>4000000000</max_memory_usage>@PROFILE@</default></profiles>
                <users>
                    <default>
                        <password></password>
                        <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                        <profile>default</profile>
                        <quota>default</quota>
                    </default>
                </users>
                <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
                    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """;
}
