package io.engagement.pipeline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real two-server ClickHouse cluster on loopback: Debian's ZooKeeper and two clickhouse-server
 * processes, each with the cluster {@value #NAME} in its {@code <remote_servers>}, its own
 * {@code <macros>}, and distributed DDL. Either one shard with two replicas (replication, a replica
 * that dies and catches up) or two shards with one replica each (sharding through Distributed
 * tables). A ZooKeeper session times out after 4 s (ClickHouse's default is 30 s), so a replica that was
 * killed is active again soon after its restart. Inserts through Distributed tables are synchronous ({@code insert_distributed_sync=1} in
 * the profile, as docs/clickhouse.md advises for the job's user), so a flushed batch is on its shard.
 */
public final class ClickHouseTestCluster implements AutoCloseable {

    public static final String NAME = "engagement_cluster";
    private static final Path ZOOKEEPER_JAR = Path.of("/usr/share/java/zookeeper.jar");

    public enum Topology {
        ONE_SHARD_TWO_REPLICAS,
        TWO_SHARDS
    }

    private final Path zkDir;
    private final Process zookeeper;
    private final List<ClickHouseTestServer> nodes;

    private ClickHouseTestCluster(Path zkDir, Process zookeeper, List<ClickHouseTestServer> nodes) {
        this.zkDir = zkDir;
        this.zookeeper = zookeeper;
        this.nodes = nodes;
    }

    public static ClickHouseTestCluster start(Topology topology) throws Exception {
        if (!Files.isReadable(ZOOKEEPER_JAR)) {
            throw new IllegalStateException(ZOOKEEPER_JAR + " not found: install ZooKeeper with deploy/install-deps.sh "
                    + "(the README test command does this)");
        }
        Path zkDir = Files.createTempDirectory("zookeeper-test");
        int zkPort = ClickHouseTestServer.freePort();
        Files.writeString(
                zkDir.resolve("zoo.cfg"),
                String.join(
                        "\n",
                        "tickTime=500",
                        "initLimit=10",
                        "syncLimit=5",
                        "dataDir=" + zkDir.resolve("data"),
                        "clientPort=" + zkPort,
                        "clientPortAddress=127.0.0.1",
                        "admin.enableServer=false",
                        "4lw.commands.whitelist=ruok,srvr,stat,mntr",
                        ""));
        // Debian's zookeeper.jar names its dependencies in its manifest; a logger binding is all it lacks.
        String classpath = ZOOKEEPER_JAR + ":/usr/share/java/slf4j-simple.jar";
        Process zookeeper = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        classpath,
                        "org.apache.zookeeper.server.ZooKeeperServerMain",
                        zkDir.resolve("zoo.cfg").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        zkDir.resolve("zookeeper.log").toFile()))
                .start();
        List<ClickHouseTestServer> nodes = new ArrayList<>();
        ClickHouseTestCluster cluster = new ClickHouseTestCluster(zkDir, zookeeper, nodes);
        try {
            awaitZooKeeper(zkPort, zookeeper, zkDir);
            int[] http = {ClickHouseTestServer.freePort(), ClickHouseTestServer.freePort()};
            int[] tcp = {ClickHouseTestServer.freePort(), ClickHouseTestServer.freePort()};
            String remoteServers = remoteServers(topology, tcp);
            for (int n = 0; n < 2; n++) {
                String shard = topology == Topology.TWO_SHARDS ? "0" + (n + 1) : "01";
                String extra = """
                        <interserver_http_port>%d</interserver_http_port>
                        <interserver_http_host>127.0.0.1</interserver_http_host>
                        <zookeeper><node><host>127.0.0.1</host><port>%d</port></node><session_timeout_ms>4000</session_timeout_ms></zookeeper>
                        <macros><shard>%s</shard><replica>replica-%d</replica></macros>
                        <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
                        %s
                        """.formatted(ClickHouseTestServer.freePort(), zkPort, shard, n + 1, remoteServers);
                nodes.add(
                        ClickHouseTestServer.start(
                                http[n],
                                tcp[n],
                                extra,
                                "<insert_distributed_sync>1</insert_distributed_sync><distributed_ddl_task_timeout>20</distributed_ddl_task_timeout>"));
            }
            cluster.awaitDistributedDdl();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static String remoteServers(Topology topology, int[] tcp) {
        StringBuilder xml = new StringBuilder("<remote_servers><" + NAME + ">");
        if (topology == Topology.TWO_SHARDS) {
            for (int port : tcp) {
                xml.append(
                                "<shard><internal_replication>true</internal_replication><replica><host>127.0.0.1</host><port>")
                        .append(port)
                        .append("</port></replica></shard>");
            }
        } else {
            xml.append("<shard><internal_replication>true</internal_replication>");
            for (int port : tcp) {
                xml.append("<replica><host>127.0.0.1</host><port>").append(port).append("</port></replica>");
            }
            xml.append("</shard>");
        }
        return xml.append("</").append(NAME).append("></remote_servers>").toString();
    }

    /** ZooKeeper answers {@code ruok} before it serves; {@code srvr} shows a mode only once it does. */
    private static void awaitZooKeeper(int port, Process process, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited:\n" + Files.readString(dir.resolve("zookeeper.log")));
            }
            try (Socket socket = new Socket()) {
                // A blocking read without a timeout is not interruptible, so JUnit's @Timeout could not stop
                // it: a probe that met a silent peer (a TCP self-connect while ZooKeeper is not yet
                // listening: the kernel can give the probe the very port it dials) would hang the suite.
                socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setSoTimeout(2000);
                if (socket.getLocalPort() == port) {
                    throw new IOException("connected to itself");
                }
                OutputStream out = socket.getOutputStream();
                out.write("srvr".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                if (new String(in.readAllBytes(), StandardCharsets.US_ASCII).contains("Mode:")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet, or no answer within 2 s
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ZooKeeper did not serve within 60 s");
            }
            Thread.sleep(100);
        }
    }

    /** 18.16 can crash on an ON CLUSTER query sent before its DDL worker has made its queue node. */
    private void awaitDistributedDdl() throws Exception {
        for (ClickHouseTestServer node : nodes) {
            PipelineScenario.waitUntil(
                    () -> {
                        try {
                            return node.count(
                                            "SELECT count() FROM system.zookeeper WHERE path = '/clickhouse/task_queue' AND name = 'ddl'")
                                    == 1;
                        } catch (IOException e) {
                            return false;
                        }
                    },
                    60);
        }
    }

    public ClickHouseTestServer node(int index) {
        return nodes.get(index);
    }

    @Override
    public void close() throws Exception {
        for (ClickHouseTestServer node : nodes) {
            node.close();
        }
        ServerProcesses.stop(zookeeper);
        ServerProcesses.deleteTree(zkDir);
    }
}
