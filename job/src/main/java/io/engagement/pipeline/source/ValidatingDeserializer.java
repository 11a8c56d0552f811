package io.engagement.pipeline.source;

import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.event.RawEvent;
import io.engagement.pipeline.event.ValidatedRecord;
import io.engagement.pipeline.event.ValidationRules;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Validates each Kafka record inside the source, so the source knows every valid event time and can
 * keep one watermark per partition (Flink's per-split watermarks): a subtask reading several
 * partitions then never lets one partition's progress make another's events late. Never throws on
 * bad input: a rejected record becomes a dead letter carrying its topic, partition and offset.
 */
public class ValidatingDeserializer implements KafkaRecordDeserializationSchema<ValidatedRecord> {

    private final EventValidator validator;

    public ValidatingDeserializer(ValidationRules rules) {
        this(rules, null);
    }

    public ValidatingDeserializer(
            ValidationRules rules, io.engagement.pipeline.event.UserIdPseudonymizer pseudonymizer) {
        this.validator = new EventValidator(rules, pseudonymizer);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ValidatedRecord> out) {
        RawEvent raw = new RawEvent(record.value(), record.topic(), record.partition(), record.offset());
        long ingestMs = ingestTime(record.timestamp(), System.currentTimeMillis());
        // Age and future skew are judged against when the event reached Kafka, not when the job reads
        // it: a backlog replayed after an outage longer than validation.max-event-age is still counted.
        out.collect(ValidatedRecord.of(validator.validate(raw, ingestMs), ingestMs));
    }

    /**
     * The earlier of the record's Kafka timestamp (producer CreateTime or broker LogAppendTime) and the
     * read time: on a replay the Kafka timestamp keeps a fast clock from moving event time, live the
     * read time does even when a producer copied the client's time into the record timestamp.
     */
    static long ingestTime(long kafkaTimestamp, long readTimeMs) {
        return kafkaTimestamp >= 0 ? Math.min(kafkaTimestamp, readTimeMs) : readTimeMs;
    }

    @Override
    public TypeInformation<ValidatedRecord> getProducedType() {
        return TypeInformation.of(ValidatedRecord.class);
    }
}
