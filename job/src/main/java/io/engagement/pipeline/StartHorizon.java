package io.engagement.pipeline;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.config.JobConfig;
import io.engagement.pipeline.dedup.DeduplicateAndRouteLate;
import io.engagement.pipeline.settings.ConfigException;
import java.io.IOException;
import java.time.Instant;

/**
 * Start-up code beside the job's entry point: where a job started without state (no checkpoint, no savepoint) begins to accept events
 * (setting {@code lateness.start-horizon}, docs/guarantees.md).
 *
 * <p>Such a job has no watermark and no window state: without a horizon it would accept a late event
 * for a window the previous run fired long ago, fire that window again as version 1 holding only the
 * late event, and replace the finished row in ClickHouse. With {@code auto} the horizon is the end of
 * the newest window of any grain already in {@code content_metrics}: every window the previous run
 * fired (with data) ends there or earlier, so an event at or after the horizon can only fall into a
 * window that was never written, and events before it go to {@code late_events}. Taking every grain
 * matters with sparse traffic: an hour row can be newer than the newest minute row. Restored jobs
 * ignore the setting; their checkpointed watermark decides.
 */
public final class StartHorizon {

    /** No horizon: every valid event is accepted. */
    public static final long NONE = DeduplicateAndRouteLate.NO_START_HORIZON;

    private StartHorizon() {}

    /** The horizon for this start; for {@code auto} it asks ClickHouse, failing fast if it cannot. */
    public static long resolve(JobConfig config) {
        return switch (config.startHorizon) {
            case "none" -> NONE;
            case "auto" -> {
                ClickHouseHttp clickhouse = new ClickHouseHttp(
                        config.clickhouseUrl,
                        config.clickhouseUser,
                        config.clickhousePassword,
                        config.clickhouseCaFile);
                try {
                    yield newestClosedWindowEnd(clickhouse, config.clickhouseDatabase);
                } catch (IOException e) {
                    throw new ConfigException(
                            "lateness.start-horizon=auto: cannot read the newest window from ClickHouse ("
                                    + e.getMessage()
                                    + "); start ClickHouse, or set lateness.start-horizon to an ISO-8601 instant or none");
                }
            }
            default -> Instant.parse(config.startHorizon).toEpochMilli();
        };
    }

    /** End of the newest window in content_metrics, epoch ms; {@link #NONE} when there is none. */
    public static long newestClosedWindowEnd(ClickHouseHttp clickhouse, String database) throws IOException {
        String answer = clickhouse
                .execute("SELECT count(), toUnixTimestamp(max(window_end)) FROM " + database + ".content_metrics"
                        + " FORMAT TSV")
                .trim();
        String[] row = answer.split("\t");
        // ClickHouse 18.16 answers an aggregate over an empty table with no row at all.
        if (answer.isEmpty() || Long.parseLong(row[0]) == 0) {
            return NONE;
        }
        return Long.parseLong(row[1]) * 1000;
    }
}
