package io.engagement.pipeline.signals;

import io.engagement.pipeline.catalog.CatalogEntry;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The content catalogue's word on a signal's content, keyed by content id: its creator, category and
 * hashtags replace what the event claimed, so a client cannot steer a user's creator affinities by
 * naming another creator. A content the catalogue does not know gives its signals no creator, category
 * or hashtag (only its negative items count); it is not held back until an entry comes.
 */
public class SignalAttribution extends KeyedCoProcessFunction<String, UserSignal, CatalogEntry, UserSignal> {

    static final ValueStateDescriptor<ContentTopics> TOPICS =
            new ValueStateDescriptor<>("signal-content-topics", ContentTopics.class);

    private transient ValueState<ContentTopics> topics;

    @Override
    public void open(OpenContext openContext) {
        topics = getRuntimeContext().getState(TOPICS);
    }

    @Override
    public void processElement1(UserSignal signal, Context ctx, Collector<UserSignal> out) throws Exception {
        ContentTopics content = topics.value();
        if (content == null) {
            signal.creatorId = null;
            signal.category = null;
            signal.hashtags = null;
        } else {
            signal.creatorId = content.creatorId;
            signal.category = content.category;
            signal.hashtags = content.hashtags;
        }
        out.collect(signal);
    }

    @Override
    public void processElement2(CatalogEntry entry, Context ctx, Collector<UserSignal> out) throws Exception {
        if (entry.deleted) {
            topics.clear();
            return;
        }
        ContentTopics content = new ContentTopics();
        content.creatorId = entry.creatorId;
        content.category = entry.category;
        content.hashtags = entry.hashtags == null || entry.hashtags.length == 0 ? null : entry.hashtags;
        topics.update(content);
    }
}
