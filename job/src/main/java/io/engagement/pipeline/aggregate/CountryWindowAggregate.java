package io.engagement.pipeline.aggregate;

import io.engagement.pipeline.event.Dimensions;
import io.engagement.pipeline.event.EngagementEvent;
import io.engagement.pipeline.event.EventType;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Views, unique viewers, watch time and completions of one content in one country (seed 002
 * demographics.topCountries). Keyed by (content, {@link #countryOf country}), so the breakdown scales
 * with the number of countries a content is actually watched in, not with a fixed column list.
 */
public class CountryWindowAggregate
        implements AggregateFunction<EngagementEvent, CountryWindowAccumulator, CountryWindowAccumulator> {

    /**
     * The country key of an event: its ISO 3166-1 alpha-2 code, or {@value #UNKNOWN} when the client
     * sent none or something else ({@link Dimensions}: validation already bounded it; applied again so
     * an event from anywhere else cannot open a key either).
     */
    public static final String UNKNOWN = Dimensions.UNKNOWN_COUNTRY;

    public static String countryOf(EngagementEvent e) {
        String country = Dimensions.country(e.country);
        return country == null ? UNKNOWN : country;
    }

    /** Only these events change a country row; the others need not reach the country windows. */
    public static boolean counts(EngagementEvent e) {
        return e.eventType == EventType.VIEW_START || e.completesPlay() || e.watchTimeMs != null;
    }

    @Override
    public CountryWindowAccumulator createAccumulator() {
        return new CountryWindowAccumulator();
    }

    @Override
    public CountryWindowAccumulator add(EngagementEvent e, CountryWindowAccumulator acc) {
        if (acc.creatorId == null) {
            acc.creatorId = e.creatorId;
        }
        if (e.watchTimeMs != null) {
            acc.watchTimeMs += e.watchTimeMs;
        }
        if (e.eventType == EventType.VIEW_START) {
            acc.views++;
            acc.viewers.add(e.viewerKey());
        } else if (e.completesPlay()) {
            acc.completions++;
        }
        return acc;
    }

    @Override
    public CountryWindowAccumulator getResult(CountryWindowAccumulator acc) {
        return acc;
    }

    @Override
    public CountryWindowAccumulator merge(CountryWindowAccumulator a, CountryWindowAccumulator b) {
        if (a.creatorId == null) {
            a.creatorId = b.creatorId;
        }
        a.views += b.views;
        a.watchTimeMs += b.watchTimeMs;
        a.completions += b.completions;
        a.viewers.merge(b.viewers);
        return a;
    }

    /**
     * A deep copy (sketch included, array by array: no sketch merge): with heap state a window's
     * accumulator object keeps changing.
     */
    public static CountryWindowAccumulator copy(CountryWindowAccumulator acc) {
        CountryWindowAccumulator to = countersOf(acc);
        to.viewers = ContentWindowAccumulatorSerializer.copy(acc.viewers);
        return to;
    }

    /**
     * What a later {@link #delta} reads of this firing: the counters, without the viewer sketch (a
     * delta carries the current firing's whole sketch), so the copy a window keeps of its previous
     * firing does not copy, write and read back the sketch on every firing.
     */
    public static CountryWindowAccumulator countersOf(CountryWindowAccumulator acc) {
        CountryWindowAccumulator to = new CountryWindowAccumulator();
        to.creatorId = acc.creatorId;
        to.views = acc.views;
        to.watchTimeMs = acc.watchTimeMs;
        to.completions = acc.completions;
        return to;
    }

    /**
     * Whether {@code current} holds nothing beyond {@code previous}, an earlier firing of the same
     * window: equal counters (only a view start adds a viewer, and it also counts a view), so its
     * {@link #delta} would add nothing to the larger windows and is not sent.
     */
    public static boolean addsNothingTo(CountryWindowAccumulator current, CountryWindowAccumulator previous) {
        return previous != null
                && current.views == previous.views
                && current.watchTimeMs == previous.watchTimeMs
                && current.completions == previous.completions;
    }

    /**
     * {@code current} minus {@code previous} (the window's earlier firing; its sketch is not read, so
     * it may be a {@link #countersOf} copy), with {@code current}'s whole sketch.
     */
    public static CountryWindowAccumulator delta(CountryWindowAccumulator current, CountryWindowAccumulator previous) {
        CountryWindowAccumulator delta = copy(current);
        if (previous != null) {
            delta.views -= previous.views;
            delta.watchTimeMs -= previous.watchTimeMs;
            delta.completions -= previous.completions;
        }
        return delta;
    }
}
