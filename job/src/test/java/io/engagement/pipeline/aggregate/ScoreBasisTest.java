package io.engagement.pipeline.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.creator.CreatorAccumulator;
import io.engagement.pipeline.creator.CreatorMetrics;
import org.junit.jupiter.api.Test;

/**
 * With view validation on, a row's rates and scores are over its validated plays, and its counted
 * columns stay as counted. Expected values worked out by hand from the seed formulas (docs/metrics.md):
 * engagement score = 40 completions/views + 30 saves/views + 20 shares/views + 10 clicks/views
 * - 20 skips/views; quality = 35 % retention (the completion rate) + 30 % engagement + 20 % virality
 * + 15 % watchability; engagement component = engagement rate / 20 % * 100; virality = share rate / 5 % * 100.
 */
class ScoreBasisTest {

    private static final long HOUR_MS = 3_600_000L;

    /** 100 views of which 20 validated (a farm made the other 80), with a few human interactions. */
    private static ContentWindowAccumulator farmedWindow() {
        ContentWindowAccumulator acc = new ContentWindowAccumulator();
        acc.views = 100;
        acc.completions = 10;
        acc.watchTimeMs = 500_000;
        acc.validatedViews = 20;
        acc.validatedCompletions = 5;
        acc.validatedWatchTimeMs = 300_000;
        acc.likes = 2;
        acc.comments = 1;
        acc.shares = 1;
        acc.saves = 1;
        acc.skips = 4;
        return acc;
    }

    @Test
    void contentRowsScoreTheValidatedPlaysAndKeepTheCountedColumns() {
        ContentMetrics counted = ContentMetrics.of(Grain.HOUR, 0, HOUR_MS, "c", farmedWindow(), 1, ScoreBasis.COUNTED);
        ContentMetrics validated =
                ContentMetrics.of(Grain.HOUR, 0, HOUR_MS, "c", farmedWindow(), 1, ScoreBasis.VALIDATED);

        for (ContentMetrics row : new ContentMetrics[] {counted, validated}) {
            assertEquals(100, row.views);
            assertEquals(10, row.completions);
            assertEquals(500_000, row.watchTimeMs);
            assertEquals(20, row.validatedViews);
            assertEquals(5, row.validatedCompletions);
        }
        assertEquals(10.0, counted.completionRate, 1e-9); // 10 / 100
        assertEquals(25.0, validated.completionRate, 1e-9); // 5 / 20
        assertEquals(5_000.0, counted.avgWatchTimeMs, 1e-9); // 500 000 / 100
        assertEquals(15_000.0, validated.avgWatchTimeMs, 1e-9); // 300 000 / 20
        assertEquals(4.0, counted.engagementRate, 1e-9); // (2 + 1 + 1) / 100
        assertEquals(20.0, validated.engagementRate, 1e-9); // 4 / 20
        assertEquals(3.7, counted.engagementScore, 1e-9); // 4 + 0.3 + 0.2 - 0.8
        assertEquals(8.5, validated.engagementScore, 1e-9); // 10 + 1.5 + 1 - 4
        assertEquals(20.0, counted.engagementComponent, 1e-9); // 4 % of 20 %
        assertEquals(100.0, validated.engagementComponent, 1e-9);
        assertEquals(20.0, counted.viralityScore, 1e-9); // share rate 1 % of 5 %
        assertEquals(100.0, validated.viralityScore, 1e-9); // 5 % of 5 %
        // 35 % retention + 30 % engagement + 20 % virality + 15 % watchability (no rewatches: 0)
        assertEquals(13.5, counted.qualityScore, 1e-9); // 3.5 + 6 + 4
        assertEquals(58.75, validated.qualityScore, 1e-9); // 8.75 + 30 + 20
    }

    @Test
    void creatorUpdatesAndRowsUseTheSameBasis() {
        ContentWindowAccumulator previous = new ContentWindowAccumulator();
        previous.views = 30; // all farmed: no validated view yet
        ContentWindowAccumulator current = farmedWindow();
        ContentMetrics row = ContentMetrics.of(Grain.HOUR, 0, HOUR_MS, "c", current, 2, ScoreBasis.VALIDATED);

        ContentWindowUpdate update = ContentWindowUpdate.of(
                row, ContentWindowAggregate.delta(current, previous), previous, ScoreBasis.VALIDATED);
        assertFalse(
                update.previousHadViews, "the previous firing had no validated view: it was not in the creator's mean");
        assertEquals(20, update.views);
        assertEquals(25.0, update.completionRate, 1e-9);
        assertTrue(
                ContentWindowUpdate.of(row, ContentWindowAggregate.delta(current, previous), previous).previousHadViews,
                "counted, the previous firing had views");

        CreatorAccumulator creator = new CreatorAccumulator();
        creator.totals = farmedWindow();
        CreatorMetrics creatorRow = CreatorMetrics.of(Grain.HOUR, 0, HOUR_MS, "k", creator, 1, ScoreBasis.VALIDATED);
        assertEquals(100, creatorRow.views);
        assertEquals(20, creatorRow.validatedViews);
        assertEquals(25.0, creatorRow.completionRate, 1e-9);
        assertEquals(8.5, creatorRow.engagementScore, 1e-9);
        assertEquals(3.7, CreatorMetrics.of(Grain.HOUR, 0, HOUR_MS, "k", creator, 1).engagementScore, 1e-9);
    }
}
