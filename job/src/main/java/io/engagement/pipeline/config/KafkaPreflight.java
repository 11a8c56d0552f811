package io.engagement.pipeline.config;

import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The start-up check of the Kafka settings: connects with the job's client properties and describes
 * every topic it reads or writes. Wrong credentials, an unreachable broker, a protocol mismatch or a missing topic
 * stop the submission with a message naming the setting, instead of a job that restarts forever on
 * the cluster.
 */
public final class KafkaPreflight {

    private KafkaPreflight() {}

    public static void check(JobConfig config, Duration timeout) {
        Properties props = KafkaClientProperties.toProperties(config.kafkaProperties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 10_000)));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, config.jobName + "-preflight");
        Map<String, String> topics = topicsAndSettings(config);
        String protocol = config.kafkaProperties.getOrDefault("security.protocol", "PLAINTEXT");
        try (Admin admin = Admin.create(props)) {
            for (String topic : topics.keySet()) {
                try {
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw explain(e.getCause(), config, topic, topics.get(topic), protocol);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking kafka.bootstrap-servers " + config.bootstrapServers);
        } catch (TimeoutException e) {
            throw unreachable(config, protocol, timeout);
        }
    }

    /**
     * Every topic the job reads or writes with the setting that names it (the first, when settings
     * share a topic), in the order they are checked.
     */
    static Map<String, String> topicsAndSettings(JobConfig config) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put(config.inputTopic, "kafka.input-topic");
        topics.putIfAbsent(config.dlqTopic, "kafka.dlq-topic");
        topics.putIfAbsent(config.feedbackTopic, "kafka.feedback-topic");
        if (config.catalogTopic != null) {
            topics.putIfAbsent(config.catalogTopic, "kafka.catalog-topic");
        }
        if (config.alertRules != null) {
            topics.putIfAbsent(config.alertsTopic, "kafka.alerts-topic");
        }
        if (config.userSignalRules != null) {
            topics.putIfAbsent(config.userSignalsTopic, "kafka.user-signals-topic");
            if (config.erasuresTopic != null) {
                topics.putIfAbsent(config.erasuresTopic, "kafka.erasures-topic");
            }
        }
        return topics;
    }

    private static ConfigException explain(
            Throwable cause, JobConfig config, String topic, String setting, String protocol) {
        if (cause instanceof SslAuthenticationException) {
            return new ConfigException("kafka.properties.ssl.*: the TLS handshake with " + config.bootstrapServers
                    + " failed (security.protocol=" + protocol + "): " + cause.getMessage());
        }
        if (cause instanceof AuthenticationException) {
            return new ConfigException("kafka.properties.sasl.jaas.config: " + config.bootstrapServers
                    + " refused the credentials (security.protocol=" + protocol + ", sasl.mechanism="
                    + config.kafkaProperties.getOrDefault("sasl.mechanism", "GSSAPI") + "): " + cause.getMessage());
        }
        if (cause instanceof AuthorizationException) {
            return new ConfigException("kafka.properties.sasl.jaas.config: the principal may not describe topic '"
                    + topic
                    + "' on " + config.bootstrapServers + " (grant it DESCRIBE, READ on the input topic and the group, "
                    + "WRITE on the output topics): " + cause.getMessage());
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new ConfigException(setting + ": topic '" + topic + "' does not exist on " + config.bootstrapServers
                    + " (the job does not create topics; deploy/local/kafka.sh create-topics does)");
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(config, protocol, null);
        }
        return new ConfigException("kafka.bootstrap-servers " + config.bootstrapServers + ": describing topic '" + topic
                + "' failed: " + cause);
    }

    private static ConfigException unreachable(JobConfig config, String protocol, Duration timeout) {
        return new ConfigException("kafka.bootstrap-servers " + config.bootstrapServers + ": no answer"
                + (timeout == null ? "" : " within " + timeout.toSeconds() + " s")
                + "; check the address and that kafka.properties.security.protocol (" + protocol
                + ") is the protocol of that listener");
    }
}
