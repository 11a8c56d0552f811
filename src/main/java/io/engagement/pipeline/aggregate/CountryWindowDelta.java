package io.engagement.pipeline.aggregate;

/** What one firing of a finest-grain (content, country) window adds to its previous firing. */
public class CountryWindowDelta {
    public String contentId;
    public String country;
    public CountryWindowAccumulator counters;

    public CountryWindowDelta() {}

    public CountryWindowDelta(String contentId, String country, CountryWindowAccumulator counters) {
        this.contentId = contentId;
        this.country = country;
        this.counters = counters;
    }
}
