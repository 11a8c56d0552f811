package io.engagement.pipeline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.engagement.pipeline.event.RejectReason;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.event.ValidationRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * Event age and future skew are judged against the Kafka record timestamp (the earlier of it and the
 * read time), so a backlog replayed after an outage longer than {@code validation.max-event-age}
 * (7 d by default) is counted, not dead-lettered as stale.
 */
class ValidatingDeserializerTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private final ValidatingDeserializer deserializer = new ValidatingDeserializer(ValidationRules.defaults());

    private ValidatedRecord read(long kafkaTimestamp, long eventTime) throws Exception {
        byte[] value = ("{\"event_id\":\"e1\",\"event_type\":\"like\",\"content_id\":\"c1\",\"creator_id\":\"k1\","
                        + "\"session_id\":\"s1\",\"event_time\":" + eventTime + "}")
                .getBytes(StandardCharsets.UTF_8);
        List<ValidatedRecord> out = new ArrayList<>();
        deserializer.deserialize(
                new ConsumerRecord<>(
                        "events",
                        0,
                        42,
                        kafkaTimestamp,
                        kafkaTimestamp < 0 ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME,
                        0,
                        value.length,
                        null,
                        value,
                        new RecordHeaders(),
                        Optional.empty()),
                new ListCollector<>(out));
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void aBacklogOlderThanTheMaximumAgeIsJudgedByWhenItReachedKafka() throws Exception {
        long now = System.currentTimeMillis();
        ValidatedRecord replayed = read(now - 10 * DAY, now - 10 * DAY - 60_000);
        assertNull(replayed.deadLetter, "produced a minute after it happened, 10 days ago: counted");
        assertEquals(now - 10 * DAY, replayed.ingestTimeMs);

        ValidatedRecord stale = read(now - 10 * DAY, now - 18 * DAY);
        assertEquals(RejectReason.STALE_EVENT_TIME, stale.deadLetter.reason, "8 days old when it reached Kafka");
    }

    @Test
    void futureSkewIsJudgedAgainstTheProduceTimeAndWithoutATimestampAgainstTheReadTime() throws Exception {
        long now = System.currentTimeMillis();
        assertEquals(
                RejectReason.FUTURE_EVENT_TIME,
                read(now - DAY, now - DAY + 10 * 60_000).deadLetter.reason,
                "10 min ahead of its produce time (max-future-skew 5 min)");
        assertNull(read(now - DAY, now - DAY + 60_000).deadLetter);
        assertEquals(
                RejectReason.STALE_EVENT_TIME,
                read(-1, now - 8 * DAY).deadLetter.reason,
                "no Kafka timestamp: the read time");
        assertNull(read(-1, now - 6 * DAY).deadLetter);
    }
}
