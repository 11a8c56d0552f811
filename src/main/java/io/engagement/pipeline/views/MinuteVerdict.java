package io.engagement.pipeline.views;

/** What a gate decided for one actor and minute, kept while late claims of it can arrive. */
public class MinuteVerdict {
    public int viewStarts;
    public int playEnds;
    public boolean flagged;

    public MinuteVerdict() {}

    MinuteVerdict(int viewStarts, int playEnds, boolean flagged) {
        this.viewStarts = viewStarts;
        this.playEnds = playEnds;
        this.flagged = flagged;
    }
}
