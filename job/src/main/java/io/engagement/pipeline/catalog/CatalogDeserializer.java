package io.engagement.pipeline.catalog;

import io.engagement.pipeline.event.ValidationRules;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the content catalogue topic (compacted, keyed by content id) with {@link CatalogEntryReader}:
 * a JSON entry is a change, an empty value a deletion. Never throws on bad input: an entry the job
 * cannot use becomes a dead letter ({@code invalid_catalog_entry}) with what is wrong, and changes nothing.
 */
public class CatalogDeserializer implements KafkaRecordDeserializationSchema<CatalogRecord> {

    private final CatalogEntryReader reader;

    public CatalogDeserializer(ValidationRules rules) {
        this.reader = new CatalogEntryReader(rules);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CatalogRecord> out) {
        out.collect(reader.read(record.key(), record.value(), record.topic(), record.partition(), record.offset()));
    }

    @Override
    public TypeInformation<CatalogRecord> getProducedType() {
        return TypeInformation.of(CatalogRecord.class);
    }
}
