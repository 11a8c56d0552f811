package io.engagement.pipeline.config;

import io.engagement.pipeline.settings.ConfigException;
import io.engagement.pipeline.settings.KafkaClientProperties;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
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
 * its three topics. Wrong credentials, an unreachable broker, a protocol mismatch or a missing topic
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
        Set<String> topics = new LinkedHashSet<>(List.of(config.inputTopic, config.dlqTopic, config.feedbackTopic));
        if (config.catalogTopic != null) {
            topics.add(config.catalogTopic);
        }
        if (config.alertRules != null) {
            topics.add(config.alertsTopic);
        }
        if (config.userSignalRules != null) {
            topics.add(config.userSignalsTopic);
            if (config.erasuresTopic != null) {
                topics.add(config.erasuresTopic);
            }
        }
        String protocol = config.kafkaProperties.getOrDefault("security.protocol", "PLAINTEXT");
        try (Admin admin = Admin.create(props)) {
            for (String topic : topics) {
                try {
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw explain(e.getCause(), config, topic, protocol);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking kafka.bootstrap-servers " + config.bootstrapServers);
        } catch (TimeoutException e) {
            throw unreachable(config, protocol, timeout);
        }
    }

    private static ConfigException explain(Throwable cause, JobConfig config, String topic, String protocol) {
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
            return new ConfigException(
                    settingOf(config, topic) + ": topic '" + topic + "' does not exist on " + config.bootstrapServers
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

    private static String settingOf(JobConfig config, String topic) {
        if (topic.equals(config.inputTopic)) {
            return "kafka.input-topic";
        }
        if (topic.equals(config.catalogTopic)) {
            return "kafka.catalog-topic";
        }
        if (topic.equals(config.alertsTopic) && !topic.equals(config.feedbackTopic)) {
            return "kafka.alerts-topic";
        }
        if (topic.equals(config.userSignalsTopic) && !topic.equals(config.feedbackTopic)) {
            return "kafka.user-signals-topic";
        }
        if (topic.equals(config.erasuresTopic)) {
            return "kafka.erasures-topic";
        }
        return topic.equals(config.dlqTopic) ? "kafka.dlq-topic" : "kafka.feedback-topic";
    }
}
