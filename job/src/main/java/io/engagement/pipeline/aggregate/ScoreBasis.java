package io.engagement.pipeline.aggregate;

/**
 * The plays a row's rates and scores are computed over (docs/metrics.md, "Validated views"): every
 * counted play, or, with {@code views.validation} on, only the plays the view gates validated, so a
 * view farm moves no score, no trend and no feedback message. The counted columns ({@code views},
 * {@code completions}, {@code watch_time_ms}) hold what was counted either way, and the
 * {@code validated_*} columns what was validated.
 */
public enum ScoreBasis {
    /** Every counted play (validation off: there is nothing else to score). */
    COUNTED,
    /** The validated plays only. */
    VALIDATED;

    public static ScoreBasis of(boolean viewValidation) {
        return viewValidation ? VALIDATED : COUNTED;
    }

    public long views(ContentWindowAccumulator acc) {
        return this == VALIDATED ? acc.validatedViews : acc.views;
    }

    public long completions(ContentWindowAccumulator acc) {
        return this == VALIDATED ? acc.validatedCompletions : acc.completions;
    }

    public long watchTimeMs(ContentWindowAccumulator acc) {
        return this == VALIDATED ? acc.validatedWatchTimeMs : acc.watchTimeMs;
    }

    public long views(ContentMetrics row) {
        return this == VALIDATED ? row.validatedViews : row.views;
    }
}
