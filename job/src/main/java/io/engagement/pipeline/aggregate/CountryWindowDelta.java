package io.engagement.pipeline.aggregate;

/**
 * What one firing of a (content, country) window adds to its previous firing: the counters' difference
 * and the whole viewer sketch (a union is idempotent, so sending it again counts nobody twice). The
 * larger country windows are built from these, so an event updates one country window, not three.
 */
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
