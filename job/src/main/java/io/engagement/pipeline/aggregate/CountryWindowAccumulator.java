package io.engagement.pipeline.aggregate;

/** Running counters of one content in one country in one window (a Flink POJO). */
public class CountryWindowAccumulator {
    public String creatorId;
    public long views;
    public long watchTimeMs;
    public long completions;
    public UniqueViewerSketch viewers = new UniqueViewerSketch();

    public CountryWindowAccumulator() {}
}
