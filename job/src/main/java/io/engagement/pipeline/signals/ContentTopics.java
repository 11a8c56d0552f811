package io.engagement.pipeline.signals;

/** What the signal stage keeps of a catalogue entry: its owner, category and hashtags. A Flink POJO. */
public class ContentTopics {
    public String creatorId;
    public String category;
    public String[] hashtags;

    public ContentTopics() {}
}
