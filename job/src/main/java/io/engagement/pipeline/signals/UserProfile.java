package io.engagement.pipeline.signals;

import java.util.Arrays;

/**
 * One user's state in the per-user signal stage ({@link UserSignalsOperator}): decayed affinities per
 * creator, category and hashtag, the recent negative items, and the view-start rate that flags a view
 * farm's account. Scores are kept as of {@link #asOfMs}, the newest event time applied: a signal at
 * {@code t} adds {@code weight * 2^-((asOf - t) / halfLife)}, and a newer signal first decays every
 * score to its own time, so the scores are the same whatever order the signals come in (as long as no
 * entry is evicted). A Flink POJO (arrays, nested POJOs), kept in RocksDB with a TTL.
 */
public class UserProfile {
    public long asOfMs = Long.MIN_VALUE;
    /** Signals applied since the profile started (a version: it grows with every change). */
    public long version;

    public Affinities creators = new Affinities();
    public Affinities categories = new Affinities();
    public Affinities hashtags = new Affinities();
    /** Newest first. */
    public String[] negativeContentIds = new String[0];

    public String[] negativeCreatorIds = new String[0];
    public String[] negativeKinds = new String[0];
    public long[] negativeTimesMs = new long[0];
    /** Start of the newest event-time minute with a view start, and the view starts counted in it. */
    public long rateMinuteMs = Long.MIN_VALUE;

    public int rateViewStarts;
    /** Event time until which the user is a suspect (its signals are ignored); MIN_VALUE if never flagged. */
    public long suspectUntilMs = Long.MIN_VALUE;

    public UserProfile() {}

    /** What applying one signal did. */
    public enum Outcome {
        /** The profile changed: an update is due. */
        CHANGED,
        /** The signal moved nothing (a view start under the rate, a suspect's signal). */
        UNCHANGED,
        /** The signal took the user over the view-start rate: the profile was emptied and marked. */
        FLAGGED
    }

    public boolean isSuspect() {
        return suspectUntilMs != Long.MIN_VALUE && asOfMs < suspectUntilMs;
    }

    /** Applies one signal (not an erasure, which the operator handles by dropping the state). */
    public Outcome apply(UserSignal signal, UserSignalRules rules) {
        if (signal.kind == SignalKind.VIEW_START) {
            return countViewStart(signal.eventTimeMs, rules);
        }
        if (suspectUntilMs != Long.MIN_VALUE && signal.eventTimeMs < suspectUntilMs) {
            return Outcome.UNCHANGED;
        }
        double weight = signal.weight * decayTo(signal.eventTimeMs, rules.halfLifeMs());
        creators.add(signal.creatorId, weight, rules.maxEntries());
        categories.add(signal.category, weight, rules.maxEntries());
        if (signal.hashtags != null) {
            for (String tag : signal.hashtags) {
                hashtags.add(tag, weight, rules.maxEntries());
            }
        }
        if (signal.kind.negativeItem()) {
            addNegative(signal, rules.recentNegatives());
        }
        version++;
        return Outcome.CHANGED;
    }

    /**
     * Moves the reference time forward to {@code eventTimeMs} if it is newer (decaying every score) and
     * returns the factor a signal at that time is worth at the reference time (1 for the newest).
     */
    private double decayTo(long eventTimeMs, long halfLifeMs) {
        if (asOfMs == Long.MIN_VALUE) {
            asOfMs = eventTimeMs;
            return 1;
        }
        if (eventTimeMs > asOfMs) {
            double factor = Math.pow(0.5, (eventTimeMs - asOfMs) / (double) halfLifeMs);
            creators.decay(factor);
            categories.decay(factor);
            hashtags.decay(factor);
            asOfMs = eventTimeMs;
            return 1;
        }
        return Math.pow(0.5, (asOfMs - eventTimeMs) / (double) halfLifeMs);
    }

    private Outcome countViewStart(long eventTimeMs, UserSignalRules rules) {
        long minute = Math.floorDiv(eventTimeMs, 60_000L) * 60_000L;
        if (minute == rateMinuteMs) {
            rateViewStarts++;
        } else if (minute > rateMinuteMs) {
            rateMinuteMs = minute;
            rateViewStarts = 1;
        } else {
            return Outcome.UNCHANGED; // an older minute's view start: the rate looks forward only
        }
        if (rateViewStarts <= rules.maxViewStartsPerMinute()) {
            return Outcome.UNCHANGED;
        }
        long until = minute + 60_000L + UserSignalRules.SUSPECT_HOLD_MS;
        boolean already = suspectUntilMs != Long.MIN_VALUE && eventTimeMs < suspectUntilMs;
        suspectUntilMs = Math.max(suspectUntilMs, until);
        if (already) {
            return Outcome.UNCHANGED;
        }
        creators.clear();
        categories.clear();
        hashtags.clear();
        negativeContentIds = new String[0];
        negativeCreatorIds = new String[0];
        negativeKinds = new String[0];
        negativeTimesMs = new long[0];
        asOfMs = Math.max(asOfMs, eventTimeMs);
        version++;
        return Outcome.FLAGGED;
    }

    /** Puts the content first on the negative items (once: an older entry of the same content goes). */
    private void addNegative(UserSignal signal, int max) {
        if (max == 0) {
            return;
        }
        int n = negativeContentIds.length;
        int existing = -1;
        for (int i = 0; i < n; i++) {
            if (negativeContentIds[i].equals(signal.contentId)) {
                existing = i;
                break;
            }
        }
        if (existing >= 0 && negativeTimesMs[existing] > signal.eventTimeMs) {
            return; // a newer negative of this content is already there
        }
        if (existing < 0 && n == max && negativeTimesMs[n - 1] > signal.eventTimeMs) {
            return; // older than every kept item of a full list
        }
        int size = existing >= 0 ? n : Math.min(n + 1, max);
        String[] contents = new String[size];
        String[] owners = new String[size];
        String[] kinds = new String[size];
        long[] times = new long[size];
        contents[0] = signal.contentId;
        owners[0] = signal.creatorId;
        kinds[0] = signal.kind.code();
        times[0] = signal.eventTimeMs;
        int j = 1;
        for (int i = 0; i < n && j < size; i++) {
            if (i != existing) {
                contents[j] = negativeContentIds[i];
                owners[j] = negativeCreatorIds[i];
                kinds[j] = negativeKinds[i];
                times[j] = negativeTimesMs[i];
                j++;
            }
        }
        // Newest first by event time: an older (late) negative is sorted into place.
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(times[b], times[a]));
        negativeContentIds = new String[size];
        negativeCreatorIds = new String[size];
        negativeKinds = new String[size];
        negativeTimesMs = new long[size];
        for (int i = 0; i < size; i++) {
            negativeContentIds[i] = contents[order[i]];
            negativeCreatorIds[i] = owners[order[i]];
            negativeKinds[i] = kinds[order[i]];
            negativeTimesMs[i] = times[order[i]];
        }
    }
}
