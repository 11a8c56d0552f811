package io.engagement.pipeline.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ClickHouse server (schema applied) and a real Kafka broker with the test's topics, both on
 * free loopback ports, started before a test class (or before each test) and stopped after it.
 * Register it as a static field with {@code @RegisterExtension}; {@link #perTest()} is for tests that
 * damage the servers (stop, freeze), so every test starts from fresh ones.
 */
public final class RealServers implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final boolean perTest;
    private final Map<String, Integer> topics = new LinkedHashMap<>();
    private ClickHouseTestServer clickhouse;
    private KafkaTestBroker kafka;

    private RealServers(boolean perTest) {
        this.perTest = perTest;
    }

    /** One pair of servers shared by the tests of the class. */
    public static RealServers perClass() {
        return new RealServers(false);
    }

    /** A fresh pair of servers for every test. */
    public static RealServers perTest() {
        return new RealServers(true);
    }

    /** A topic created on every broker start. */
    public RealServers topic(String name, int partitions) {
        topics.put(name, partitions);
        return this;
    }

    /**
     * The topics the job writes besides its input, with the default names and one partition each: dead
     * letters, feedback, alerts, user signals, and the erasure requests it reads. A later {@link #topic}
     * of the same name overrides its partitions.
     */
    public RealServers jobTopics() {
        for (String name : List.of(
                "engagement-dlq",
                "engagement-feedback",
                "engagement-alerts",
                "engagement-user-signals",
                "engagement-erasures")) {
            topic(name, 1);
        }
        return this;
    }

    /** The topics of {@link PipelineScenario}. */
    public RealServers scenarioTopics() {
        PipelineScenario.TOPICS.forEach(this::topic);
        return this;
    }

    public KafkaTestBroker kafka() {
        return kafka;
    }

    public ClickHouseTestServer clickhouse() {
        return clickhouse;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (!perTest) {
            stop();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (perTest) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (perTest) {
            stop();
        }
    }

    private void start() throws Exception {
        clickhouse = ClickHouseTestServer.startWithSchema();
        kafka = KafkaTestBroker.start();
        for (Map.Entry<String, Integer> topic : topics.entrySet()) {
            kafka.createTopic(topic.getKey(), topic.getValue());
        }
    }

    private void stop() throws Exception {
        try {
            close(kafka, clickhouse);
        } finally {
            kafka = null;
            clickhouse = null;
        }
    }

    /** Stops both servers (either may be null), the second even if stopping the first fails. */
    public static void close(KafkaTestBroker kafka, ClickHouseTestServer clickhouse) throws Exception {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (clickhouse != null) {
                clickhouse.close();
            }
        }
    }
}
