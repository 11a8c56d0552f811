package io.engagement.pipeline.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka broker in the test JVM (Kafka's own KafkaClusterTestKit), on a free
 * loopback port, with transactions enabled for a single replica.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    /** For a broker process started by deploy/local/kafka.sh: its state dir and ports; else null. */
    private final Map<String, String> processEnv;

    private final String bootstrap;
    /** Security properties of the test's own clients (empty for a PLAINTEXT broker). */
    private final Map<String, String> clientSecurity;

    private KafkaTestBroker(KafkaClusterTestKit cluster, Map<String, String> processEnv, String bootstrap) {
        this(cluster, processEnv, bootstrap, Map.of());
    }

    private KafkaTestBroker(
            KafkaClusterTestKit cluster,
            Map<String, String> processEnv,
            String bootstrap,
            Map<String, String> clientSecurity) {
        this.cluster = cluster;
        this.processEnv = processEnv;
        this.bootstrap = bootstrap;
        this.clientSecurity = clientSecurity;
    }

    /**
     * A broker in its own JVM, started by the project's deploy/local/kafka.sh on free loopback ports
     * with its own state dir, so a test can stop and restart it like a real broker.
     */
    public static KafkaTestBroker startProcess(java.nio.file.Path stateDir) throws Exception {
        int port = freePort();
        // Two separate free-port probes can return the same port (seen in CI: Kafka then refuses the
        // broker and controller listeners on one port); draw again until they differ.
        int controllerPort = freePort();
        while (controllerPort == port) {
            controllerPort = freePort();
        }
        Map<String, String> env = Map.of(
                "ENGAGEMENT_STACK_DIR",
                stateDir.toString(),
                "KAFKA_PORT",
                Integer.toString(port),
                "KAFKA_CONTROLLER_PORT",
                Integer.toString(controllerPort));
        KafkaTestBroker broker = new KafkaTestBroker(null, env, "127.0.0.1:" + port);
        broker.script("start");
        return broker;
    }

    /** Stops the broker process (kafka.sh stop); only for {@link #startProcess}. */
    public void stopProcess() throws Exception {
        script("stop");
    }

    /** Starts the broker process again with the same data and ports. */
    public void restartProcess() throws Exception {
        script("start");
    }

    private void script(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("deploy/local/kafka.sh", command).redirectErrorStream(true);
        pb.environment().putAll(processEnv);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kafka.sh " + command + " failed:\n" + output);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public static KafkaTestBroker start() throws Exception {
        return start(org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT, Map.of());
    }

    /** User and password the SASL broker accepts (Kafka's test kit registers them for SASL/PLAIN). */
    public static final String SASL_USER = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN;

    public static final String SASL_PASSWORD = org.apache.kafka.common.test.JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    /** The client properties of a SASL/PLAIN login, as a user would write them. */
    public static Map<String, String> saslPlain(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    /**
     * A broker whose only client listener is SASL_PLAINTEXT with the PLAIN mechanism: clients without
     * valid credentials cannot read or write.
     */
    public static KafkaTestBroker startSasl() throws Exception {
        return start(
                org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT,
                saslPlain(SASL_USER, SASL_PASSWORD));
    }

    /** Password of the generated keystore and truststore of {@link #startTls}. */
    public static final String TLS_STORE_PASSWORD = "test-store-secret";

    /**
     * A broker whose client listener is SSL (TLS), with a key pair for {@code localhost} generated by
     * the JDK's keytool into {@code dir}; its clients trust it through {@code dir/truststore.p12}.
     */
    public static KafkaTestBroker startTls(java.nio.file.Path dir) throws Exception {
        generateTlsStores(dir);
        java.nio.file.Path keystore = dir.resolve("broker.p12");
        java.nio.file.Path truststore = dir.resolve("truststore.p12");
        Map<String, String> broker = Map.of(
                "ssl.keystore.location",
                keystore.toString(),
                "ssl.keystore.type",
                "PKCS12",
                "ssl.keystore.password",
                TLS_STORE_PASSWORD,
                "ssl.key.password",
                TLS_STORE_PASSWORD,
                // the broker is its own client on the inter-broker listener
                "ssl.truststore.location",
                truststore.toString(),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.password",
                TLS_STORE_PASSWORD,
                "listener.security.protocol.map",
                "EXTERNAL:SSL,CONTROLLER:PLAINTEXT");
        // The test kit accepts only PLAINTEXT and SASL_PLAINTEXT listeners; the protocol map (which it
        // leaves alone when set) turns its client listener into TLS.
        return start(
                org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT,
                org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT,
                broker,
                tlsClient(truststore, TLS_STORE_PASSWORD));
    }

    /** A new key pair for localhost in {@code dir/broker.p12} and its certificate in {@code dir/truststore.p12}. */
    public static void generateTlsStores(java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keystore = dir.resolve("broker.p12");
        java.nio.file.Path certificate = dir.resolve("broker.crt");
        java.nio.file.Path truststore = dir.resolve("truststore.p12");
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString();
        keytool(
                keytool,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                TLS_STORE_PASSWORD,
                "-keypass",
                TLS_STORE_PASSWORD);
        keytool(
                keytool,
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                TLS_STORE_PASSWORD,
                "-file",
                certificate.toString());
        keytool(
                keytool,
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                certificate.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                truststore.toString(),
                "-storepass",
                TLS_STORE_PASSWORD);
    }

    /** The client properties that trust the broker of {@link #startTls}, as a user would write them. */
    public static Map<String, String> tlsClient(java.nio.file.Path truststore, String password) {
        return Map.of(
                "security.protocol",
                "SSL",
                "ssl.truststore.location",
                truststore.toString(),
                "ssl.truststore.type",
                "PKCS12",
                "ssl.truststore.password",
                password);
    }

    private static void keytool(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static KafkaTestBroker start(
            org.apache.kafka.common.security.auth.SecurityProtocol protocol, Map<String, String> clientSecurity)
            throws Exception {
        // With SASL the test kit installs an authorizer; the controller must see the broker's login (a
        // super user), not ANONYMOUS, or the broker never registers.
        return start(protocol, protocol, Map.of(), clientSecurity);
    }

    private static KafkaTestBroker start(
            org.apache.kafka.common.security.auth.SecurityProtocol protocol,
            org.apache.kafka.common.security.auth.SecurityProtocol controllerProtocol,
            Map<String, String> brokerProps,
            Map<String, String> clientSecurity)
            throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(protocol)
                .setControllerSecurityProtocol(controllerProtocol)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        brokerProps.forEach(builder::setConfigProp);
        if (brokerProps.containsKey("listener.security.protocol.map")
                && !nodes.brokerListenerName().value().equals("EXTERNAL")) {
            throw new IllegalStateException("the test kit's client listener is "
                    + nodes.brokerListenerName().value());
        }
        KafkaClusterTestKit cluster = builder.setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaTestBroker(cluster, null, cluster.bootstrapServers(), clientSecurity);
    }

    /**
     * {@code properties} as the job's environment ({@code ENGAGEMENT_KAFKA_PROPERTIES_*}) with every
     * secret in a file under {@code dir}, read by Kafka's {@code FileConfigProvider} where the client
     * runs: the job graph carries no secret, and a secret given as a variable would be read from the
     * TaskManager's environment, which for a MiniCluster is this JVM's (it has none).
     */
    public static Map<String, String> jobEnvironment(Map<String, String> properties, java.nio.file.Path dir)
            throws java.io.IOException {
        Properties secrets = new Properties();
        java.nio.file.Path file = dir.resolve("kafka-secrets.properties");
        Map<String, String> env = new java.util.HashMap<>();
        properties.forEach((name, value) -> {
            boolean secret = io.engagement.pipeline.settings.KafkaClientProperties.isSecret(name);
            if (secret) {
                secrets.setProperty(name, value);
            }
            env.put(
                    io.engagement.pipeline.settings.KafkaClientProperties.envName(name),
                    secret ? "${file:" + file + ":" + name + "}" : value);
        });
        if (!secrets.isEmpty()) {
            try (var out = java.nio.file.Files.newBufferedWriter(file)) {
                secrets.store(out, null);
            }
            env.put(io.engagement.pipeline.settings.KafkaClientProperties.envName("config.providers"), "file");
            env.put(
                    io.engagement.pipeline.settings.KafkaClientProperties.envName("config.providers.file.class"),
                    "org.apache.kafka.common.config.provider.FileConfigProvider");
        }
        return env;
    }

    /** The security properties this broker's clients need ({@code kafka.properties.*} of the job). */
    public Map<String, String> clientSecurity() {
        return clientSecurity;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> config = new java.util.HashMap<>(clientSecurity);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get();
        }
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.putAll(clientSecurity);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Sends to an explicit partition and waits, so offsets are known to the test. */
    public void send(String topic, int partition, String key, String value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(
                            topic,
                            partition,
                            key == null ? null : key.getBytes(),
                            value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .get();
        }
    }

    /**
     * Sends one message with a producer the test keeps open and waits for its acknowledgement;
     * {@code partition} null: the key's partition. {@code value} null: a tombstone.
     */
    public static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(
                        topic,
                        partition,
                        key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .get();
    }

    /** One message to send to an explicit partition. */
    public record Outgoing(int partition, String key, String value) {}

    /**
     * Sends all messages in order with one producer and checks every acknowledgement: a test that
     * compares outputs with what it sent must fail here, not later, if the broker lost a send.
     */
    public void sendAll(String topic, List<Outgoing> messages) throws Exception {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Outgoing m : messages) {
                acks.add(producer.send(new ProducerRecord<>(
                        topic,
                        m.partition(),
                        m.key() == null ? null : m.key().getBytes(),
                        m.value().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        for (var ack : acks) {
            ack.get(); // throws with the broker's error if this message was not written
        }
    }

    /** Waits until every partition of the topic has a leader, e.g. after a broker restart. */
    public void awaitLeaders(String topic, java.time.Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        try (Admin admin = Admin.create(adminConfig())) {
            while (true) {
                try {
                    var description = admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic);
                    if (description.partitions().stream()
                            .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException notYet) {
                    // the broker is still starting
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("partitions of " + topic + " have no leader after " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Every committed record of the topic, as a read_committed consumer sees it. */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.putAll(clientSecurity);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    @Override
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
        } else {
            script("stop");
        }
    }
}
