package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.engagement.pipeline.testing.ClickHouseEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every query file of sql/queries/ run as shipped (only parameters set) against a ClickHouse holding
 * the project's schema (every migration applied) and a small hand-made fixture; expected rows are
 * worked out by hand from the fixture. One body, run on each ClickHouse the project supports:
 * {@link AnalystQueriesITCase} (the real 18.16 server) and {@link AnalystQueriesOnCurrentEngineITCase}
 * (ClickHouse 26.x, chDB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AnalystQueriesContract {

    ClickHouseEndpoint clickhouse;

    /** A ClickHouse with the project's schema from sql/ddl applied to database {@code engagement}. */
    abstract ClickHouseEndpoint startWithSchema() throws Exception;

    @BeforeAll
    void startAndLoadFixture() throws Exception {
        clickhouse = startWithSchema();
        String columns = "grain, window_start, window_end, content_id, creator_id, version, views, unique_viewers,"
                + " watch_time_ms, avg_watch_time_ms, completions, completion_rate, likes, comments, shares, saves,"
                + " engagement_rate, engagement_score, quality_score";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + columns + ") VALUES "
                                // c1 on 03-02: first firing, then a late update (version 2) that must win under FINAL
                                + "('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'c1', 'creator-1', 1, 100, 90, 200000, 2000, 10, 10, 10, 2, 2, 1, 14, 20, 30),"
                                + "('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'c1', 'creator-1', 2, 200, 180, 400000, 2000, 50, 25, 20, 5, 5, 3, 15, 22.24, 41.5),"
                                + "('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'c2', 'creator-1', 1, 150, 140, 150000, 1000, 90, 60, 0, 0, 1, 0, 0.667, 24.13, 23.67),"
                                + "('day', '2026-03-02 00:00:00', '2026-03-03 00:00:00', 'c3', 'creator-2', 1, 50, 50, 50000, 1000, 45, 90, 0, 0, 0, 0, 0, 36, 31.5),"
                                + "('day', '2026-03-01 00:00:00', '2026-03-02 00:00:00', 'c1', 'creator-1', 1, 80, 80, 80000, 1000, 8, 10, 0, 0, 0, 0, 0, 4, 3.5),"
                                + "('day', '2026-02-20 00:00:00', '2026-02-21 00:00:00', 'c1', 'creator-1', 1, 999, 999, 1, 1, 1, 0.1, 0, 0, 0, 0, 0, 0, 0),"
                                // an hour row must not leak into day queries
                                + "('hour', '2026-03-02 10:00:00', '2026-03-02 11:00:00', 'c1', 'creator-1', 1, 7, 7, 7000, 1000, 7, 100, 0, 0, 0, 0, 0, 40, 35)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_velocity (content_id, creator_id, as_of, version,"
                                + " views_last_24h, views_previous_24h, views_per_hour, trend, trending, peak_views_per_hour, peak_at) VALUES "
                                // latest hour: t1 trending, t2 trending and faster (a late update, version 2, must
                                // win), t3 rising
                                // below the threshold, t4 declining; an older hour where t5 was trending must not show
                                + "('t1', 'k', '2026-03-02 12:00:00', 5, 2400, 1000, 100, 'rising', 1, 100, '2026-03-02 12:00:00'),"
                                + "('t2', 'k', '2026-03-02 12:00:00', 7, 3600, 1000, 150, 'rising', 1, 150, '2026-03-02 12:00:00'),"
                                + "('t2', 'k', '2026-03-02 12:00:00', 8, 4800, 1000, 200, 'rising', 1, 200, '2026-03-02 12:00:00'),"
                                + "('t3', 'k', '2026-03-02 12:00:00', 2, 240, 10, 10, 'rising', 0, 10, '2026-03-02 12:00:00'),"
                                + "('t4', 'k', '2026-03-02 12:00:00', 9, 4800, 9600, 200, 'declining', 0, 400, '2026-03-01 12:00:00'),"
                                + "('t5', 'k', '2026-03-02 11:00:00', 3, 9600, 10, 400, 'rising', 1, 400, '2026-03-02 11:00:00')");
    }

    @AfterAll
    void stop() throws Exception {
        if (clickhouse != null) {
            clickhouse.close();
        }
    }

    List<String> run(String file, Map<String, String> params) throws Exception {
        String sql = AnalystQuery.load(Path.of("sql/queries", file)).render(params);
        return clickhouse.rows(sql);
    }

    @Test
    void topContentOfADay() throws Exception {
        assertEquals(
                List.of(
                        "c1\tcreator-1\t200\t180\t2\t25\t15\t22.2\t41.5",
                        "c2\tcreator-1\t150\t140\t1\t60\t0.7\t24.1\t23.7",
                        "c3\tcreator-2\t50\t50\t1\t90\t0\t36\t31.5"),
                run("top_content_today.sql", Map.of("day", "toDate('2026-03-02')")));
        assertEquals(
                1,
                run("top_content_today.sql", Map.of("day", "toDate('2026-03-02')", "limit", "1"))
                        .size());
    }

    @Test
    void creatorLastSevenDaysRecomputesRatesFromSums() throws Exception {
        // 03-02: c1 (v2) + c2: views 350, watch 550 s, completions 140 -> 40 %, likes 20, shares 6, saves 3,
        //        engagement (20 + 5 + 6) / 350 = 8.857 % -> 8.9;  03-01: c1 only;  02-20 is outside the 7 days.
        assertEquals(
                List.of("2026-03-01\t1\t80\t80\t8\t10\t0\t0\t0\t0", "2026-03-02\t2\t350\t550\t140\t40\t20\t6\t3\t8.9"),
                run("creator_last_7_days.sql", Map.of("creator_id", "'creator-1'", "end_day", "toDate('2026-03-02')")));
    }

    @Test
    void completionLeadersNeedTheMinimumViews() throws Exception {
        assertEquals(
                List.of("c2\tcreator-1\t150\t90\t60\t0\t0\t0\t0\t23.7", "c1\tcreator-1\t200\t50\t25\t0\t0\t0\t0\t41.5"),
                run("completion_rate_leaders.sql", Map.of("day", "toDate('2026-03-02')")));
        assertEquals(
                3,
                run("completion_rate_leaders.sql", Map.of("day", "toDate('2026-03-02')", "min_views", "1"))
                        .size());
    }

    @Test
    void trendingNowListsRisingContentAboveTheThresholdAtTheLatestHour() throws Exception {
        List<String> names = run("trending_now.sql", Map.of()).stream()
                .map(r -> r.split("\t")[0] + " " + r.split("\t")[3])
                .toList();
        assertEquals(List.of("t2 200", "t1 100"), names);
        List<String> allRising = run("trending_now.sql", Map.of("only_trending", "0")).stream()
                .map(r -> r.split("\t")[0])
                .toList();
        assertEquals(List.of("t2", "t1", "t3"), allRising);
    }

    @Test
    void uniqueViewersMergeAcrossHoursAndContentsInsteadOfAdding() throws Exception {
        // Through the materialized view: c1 is watched by u1, u2 at 10:00 and by u2, u3 and an
        // anonymous session at 11:00 (u2 twice, and once replayed as a duplicate insert); c2 of the same
        // creator by u3 at 11:00. Hourly uniques add up to 2 + 3 = 5 for c1, but c1 has 4 viewers; the
        // creator has 4 (u3 watched both). A like is not a view.
        String columns = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + columns + ") VALUES "
                        + "('v1', 'view_start', 'c1', 'k9', 'u1', 's1', '2026-03-02 10:05:00', 0, 't', 0, 1),"
                        + "('v2', 'view_start', 'c1', 'k9', 'u2', 's2', '2026-03-02 10:06:00', 0, 't', 0, 2),"
                        + "('v3', 'view_start', 'c1', 'k9', 'u2', 's2', '2026-03-02 11:01:00', 0, 't', 0, 3),"
                        + "('v4', 'view_start', 'c1', 'k9', 'u3', 's3', '2026-03-02 11:02:00', 0, 't', 0, 4),"
                        + "('v5', 'view_start', 'c1', 'k9', NULL, 'anon', '2026-03-02 11:03:00', 0, 't', 0, 5),"
                        + "('v6', 'like', 'c1', 'k9', 'u7', 's7', '2026-03-02 11:04:00', 0, 't', 0, 6),"
                        + "('v7', 'view_start', 'c2', 'k9', 'u3', 's3', '2026-03-02 11:05:00', 0, 't', 0, 7)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.engagement_events (" + columns + ") VALUES "
                                + "('v4', 'view_start', 'c1', 'k9', 'u3', 's3', '2026-03-02 11:02:00', 0, 't', 0, 4)"); // a replay
        Map<String, String> range = Map.of(
                "creator_id",
                "'k9'",
                "from",
                "toDateTime('2026-03-02 00:00:00')",
                "to",
                "toDateTime('2026-03-03 00:00:00')");
        assertEquals(
                List.of("k9\tc1\t4\t1\t2026-03-02 10:00:00\t2026-03-02 11:00:00"),
                run(
                        "unique_viewers_range.sql",
                        new java.util.HashMap<>(Map.of(
                                "creator_id",
                                "'k9'",
                                "content_id",
                                "'c1'",
                                "from",
                                range.get("from"),
                                "to",
                                range.get("to")))));
        assertEquals(
                List.of("k9\tall content\t4\t2\t2026-03-02 10:00:00\t2026-03-02 11:00:00"),
                run("unique_viewers_range.sql", range));
        assertEquals(
                List.of("2", "3"),
                clickhouse.rows("SELECT uniqMerge(viewers) FROM engagement.content_viewers_hourly"
                        + " WHERE content_id = 'c1' GROUP BY hour ORDER BY hour"));
    }

    @Test
    void sessionAnalyticsOfADayOrAUser() throws Exception {
        // s1 (u1) was first emitted with 2 events and then, after a late event, with 3 (version 3 wins).
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.session_metrics (session_id, user_id, session_start,"
                                + " session_end, duration_ms, version, views, contents_viewed, completions, saves, shares, clicks,"
                                + " avg_watch_time_ms, engagement_rate) VALUES "
                                + "('s1', 'u1', '2026-03-02 10:00:00', '2026-03-02 10:05:00', 300000, 2, 1, 1, 0, 0, 0, 0, 4000, 0),"
                                + "('s1', 'u1', '2026-03-02 10:00:00', '2026-03-02 10:06:00', 360000, 3, 2, 2, 1, 1, 0, 0, 5000, 50),"
                                + "('s2', NULL, '2026-03-02 11:00:00', '2026-03-02 11:00:30', 30000, 1, 1, 1, 0, 0, 0, 0, 30000, 0),"
                                + "('s3', 'u1', '2026-03-03 09:00:00', '2026-03-03 09:01:00', 60000, 1, 1, 1, 0, 0, 0, 0, 60000, 0)");
        // s4 (u1) was first written starting 12:10; a late event moved its start to 12:08, so the job
        // retracted the 12:10 row (superseded, version 2, no user) and wrote the 12:08 one.
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.session_metrics (session_id, user_id, session_start,"
                                + " session_end, duration_ms, version, views, contents_viewed, completions, saves, shares, clicks,"
                                + " avg_watch_time_ms, engagement_rate, superseded) VALUES "
                                + "('s4', 'u1', '2026-03-02 12:10:00', '2026-03-02 12:10:00', 0, 1, 1, 1, 0, 0, 0, 0, 1000, 0, 0),"
                                + "('s4', NULL, '2026-03-02 12:10:00', '2026-03-02 12:10:00', 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1),"
                                + "('s4', 'u1', '2026-03-02 12:08:00', '2026-03-02 12:10:00', 120000, 2, 2, 2, 0, 0, 0, 0, 1500, 0, 0)");
        assertEquals(
                List.of(
                        "s1\tu1\t2026-03-02 10:00:00\t360\t2\t2\t1\t1\t0\t0\t5\t50",
                        "s2\t\\N\t2026-03-02 11:00:00\t30\t1\t1\t0\t0\t0\t0\t30\t0",
                        "s4\tu1\t2026-03-02 12:08:00\t120\t2\t2\t0\t0\t0\t0\t1.5\t0"),
                run("session_analytics.sql", Map.of("day", "toDate('2026-03-02')")));
        assertEquals(
                List.of("s1", "s4"),
                run("session_analytics.sql", Map.of("day", "toDate('2026-03-02')", "user_id", "'u1'")).stream()
                        .map(r -> r.split("\t")[0])
                        .toList());
    }

    @Test
    void creatorDashboardRollsUpHoursWithMergedUniquesAndTopContent() throws Exception {
        // Creator k7, hour windows: d1 at 10:00 (10 views, 5 completions, 1 like, 2 shares, 1 save,
        // 30 s watched) and 11:00 (v1 then a late v2 with 20 views, 5 completions, 1 click, 40 s), d2 at
        // 10:00 (5 views); an hour of d1 on the next day is outside the range.
        String columns = "grain, window_start, window_end, content_id, creator_id, version, views, watch_time_ms,"
                + " completions, likes, comments, shares, saves, clicks";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + columns + ") VALUES "
                                + "('hour', '2026-03-05 10:00:00', '2026-03-05 11:00:00', 'd1', 'k7', 1, 10, 30000, 5, 1, 0, 2, 1, 0),"
                                + "('hour', '2026-03-05 11:00:00', '2026-03-05 12:00:00', 'd1', 'k7', 1, 3, 1000, 0, 0, 0, 0, 0, 0),"
                                + "('hour', '2026-03-05 11:00:00', '2026-03-05 12:00:00', 'd1', 'k7', 2, 20, 40000, 5, 0, 0, 0, 0, 1),"
                                + "('hour', '2026-03-05 10:00:00', '2026-03-05 11:00:00', 'd2', 'k7', 1, 5, 0, 0, 0, 0, 0, 0, 0),"
                                + "('hour', '2026-03-06 10:00:00', '2026-03-06 11:00:00', 'd1', 'k7', 1, 99, 0, 0, 0, 0, 0, 0, 0)");
        // Viewers (through the materialized view): u1 and u2 on d1, u2 on d2 -> 2 unique viewers.
        String eventColumns =
                "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                        + " source_topic, source_partition, source_offset";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + eventColumns + ") VALUES "
                        + "('w1', 'view_start', 'd1', 'k7', 'u1', 's1', '2026-03-05 10:01:00', 0, 't', 1, 1),"
                        + "('w2', 'view_start', 'd1', 'k7', 'u2', 's2', '2026-03-05 11:01:00', 0, 't', 1, 2),"
                        + "('w3', 'view_start', 'd2', 'k7', 'u2', 's2', '2026-03-05 10:02:00', 0, 't', 1, 3)");
        // 35 views, 70 s, 10 completions (28.6 %), engagement (1 like + 0 + 2 shares) / 35 = 8.6 %,
        // action (1 save + 2 shares + 1 click) / 35 = 11.4 %; 35 / 2 contents = 17.5 views per content,
        // 70 s / 35 views = 2 s per view; top: d1 30 views, d2 5.
        assertEquals(
                List.of("k7\t2\t35\t2\t70\t28.6\t1\t2\t1\t8.6\t11.4\t17.5\t2\t['d1:30','d2:5']"),
                run(
                        "creator_dashboard.sql",
                        Map.of(
                                "creator_id",
                                "'k7'",
                                "from",
                                "toDateTime('2026-03-05 00:00:00')",
                                "to",
                                "toDateTime('2026-03-06 00:00:00')")));
    }

    /** April 2026 fixtures, apart from every other test's dates. */
    void loadAprilFixture() throws Exception {
        String metrics = "grain, window_start, window_end, content_id, creator_id, version, views, watch_time_ms,"
                + " completions, likes, comments, shares, saves, clicks, skips, quality_score, engagement_score";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + metrics + ") VALUES "
                                + "('hour', '2026-04-01 10:00:00', '2026-04-01 11:00:00', 'p1', 'kp', 1, 100, 200000, 40, 10, 2, 3, 4, 5, 6, 0, 0),"
                                + "('hour', '2026-04-01 11:00:00', '2026-04-01 12:00:00', 'p1', 'kp', 1, 50, 100000, 10, 0, 0, 1, 0, 0, 4, 0, 0),"
                                + "('hour', '2026-04-01 10:00:00', '2026-04-01 11:00:00', 'p2', 'kp', 1, 50, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0),"
                                + "('day', '2026-04-01 00:00:00', '2026-04-02 00:00:00', 'p1', 'kp', 1, 150, 300000, 50, 10, 2, 4, 4, 5, 10, 60, 30),"
                                + "('day', '2026-04-02 00:00:00', '2026-04-03 00:00:00', 'p1', 'kp', 1, 50, 0, 0, 0, 0, 0, 0, 0, 0, 20, 10),"
                                + "('day', '2026-04-01 00:00:00', '2026-04-02 00:00:00', 'p2', 'kp', 1, 150, 0, 0, 5, 0, 0, 0, 0, 0, 50, 20),"
                                + "('day', '2026-04-01 00:00:00', '2026-04-02 00:00:00', 'p3', 'kp', 1, 10, 0, 0, 0, 0, 0, 0, 0, 0, 99, 99)");
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " watch_time_ms, progress, source_topic, source_partition, source_offset";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                                + "('h1', 'view_start', 'p1', 'kp', 'ua', 'sa', '2026-04-01 10:00:00', 0, NULL, NULL, 't', 2, 1),"
                                + "('h2', 'view_progress', 'p1', 'kp', 'ua', 'sa', '2026-04-01 10:00:05', 0, 5000, 0.5, 't', 2, 2),"
                                + "('h3', 'view_complete', 'p1', 'kp', 'ua', 'sa', '2026-04-01 10:00:10', 0, 5000, 1.0, 't', 2, 3),"
                                + "('h4', 'view_start', 'p2', 'kp', 'ua', 'sa', '2026-04-01 10:01:00', 0, NULL, NULL, 't', 2, 4),"
                                + "('h5', 'swipe_away', 'p2', 'kp', 'ua', 'sa', '2026-04-01 10:01:02', 0, 2000, 0.2, 't', 2, 5),"
                                + "('h6', 'view_start', 'p1', 'kp', 'ub', 'sb', '2026-04-01 11:00:00', 0, NULL, NULL, 't', 2, 6)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.session_metrics (session_id, user_id, session_start, session_end,"
                        + " duration_ms, version, superseded) VALUES ('sa', 'ua', '2026-04-01 10:00:00', '2026-04-01 10:01:02', 62000, 5, 0),"
                        + " ('sb', 'ub', '2026-04-01 11:00:00', '2026-04-01 11:00:00', 0, 2, 0),"
                        // sb was first written starting 11:00:30, then retracted when a late event moved its start.
                        + " ('sb', 'ub', '2026-04-01 11:00:30', '2026-04-01 11:00:30', 0, 1, 0),"
                        + " ('sb', NULL, '2026-04-01 11:00:30', '2026-04-01 11:00:30', 0, 2, 1)");
    }

    @Test
    void seedViewsOverAPeriod() throws Exception {
        loadAprilFixture();
        // Watch history of ua: p2 (last event 10:01:02, swiped at 0.2) before p1 (completed, 10 s).
        assertEquals(
                List.of(
                        "p2\tkp\t2026-04-01 10:01:00\t2026-04-01 10:01:02\t1\t2\t0.2\t0",
                        "p1\tkp\t2026-04-01 10:00:00\t2026-04-01 10:00:10\t1\t10\t1\t1"),
                run("user_watch_history.sql", Map.of("user_id", "'ua'", "since", "toDateTime('2026-04-01 00:00:00')")));
        // p1 on April 1: 150 views, viewers ua and ub, 300 s (2 s per view), 50 completions (33.3 %),
        // 4 saves, 4 shares, 5 clicks, 10 skips: action (4 + 4 + 5) / 150 = 8.7 %.
        assertEquals(
                List.of("p1\t150\t2\t300\t2\t50\t33.3\t4\t4\t5\t10\t8.7"),
                run(
                        "content_analytics.sql",
                        Map.of(
                                "content_id",
                                "'p1'",
                                "from",
                                "toDateTime('2026-04-01 00:00:00')",
                                "to",
                                "toDateTime('2026-04-02 00:00:00')")));
        // Top performing April 1-2 with at least 100 views: p1 (60*150 + 20*50) / 200 = 50 on 200 views,
        // p2 50 on 150 views: equal quality, more views first; p3 has too few views.
        assertEquals(
                List.of("p1\tkp\t200\t50\t25\t25", "p2\tkp\t150\t50\t20\t0"),
                run("top_performing.sql", Map.of("from", "toDate('2026-04-01')", "to", "toDate('2026-04-02')")));
        // The platform on April 1: 200 views, 2 unique viewers, 300 s, 2 sessions averaging 31 s,
        // 50 completions (25 %), engagements 15 likes + 2 comments + 4 shares = 21 (10.5 %).
        assertEquals(
                List.of("200\t2\t300\t2\t31\t25\t21\t10.5"),
                run(
                        "aggregated_metrics_by_period.sql",
                        Map.of(
                                "from",
                                "toDateTime('2026-04-01 00:00:00')",
                                "to",
                                "toDateTime('2026-04-02 00:00:00')")));
    }

    @Test
    void creatorRollupsByPeriodAndThisWeekAgainstLast() throws Exception {
        String columns = "grain, window_start, window_end, creator_id, version, contents, views, unique_viewers,"
                + " watch_time_ms, avg_watch_time_ms, median_watch_time_ms, completion_rate, avg_completion_rate,"
                + " saves, shares, clicks, engagement_rate, action_rate, top_content_id, top_content_engagement_score";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.creator_metrics (" + columns + ") VALUES "
                                // m1 this week: first firing, then a late update (version 2) that must win under FINAL
                                + "('week', '2026-05-04 00:00:00', '2026-05-11 00:00:00', 'm1', 1, 2, 100, 80, 500000, 0, 0, 40, 0, 0, 0, 0, 10, 0, 'x', 0),"
                                + "('week', '2026-05-04 00:00:00', '2026-05-11 00:00:00', 'm1', 2, 3, 120, 90, 600000, 0, 0, 50, 0, 0, 0, 0, 12.5, 0, 'x', 0),"
                                + "('week', '2026-04-27 00:00:00', '2026-05-04 00:00:00', 'm1', 1, 2, 80, 70, 400000, 0, 0, 25, 0, 0, 0, 0, 5, 0, 'x', 0),"
                                // m2 only this week, m3 only last week; an older week must not count as "previous"
                                + "('week', '2026-05-04 00:00:00', '2026-05-11 00:00:00', 'm2', 1, 1, 50, 50, 100000, 0, 0, 10, 0, 0, 0, 0, 2, 0, 'y', 0),"
                                + "('week', '2026-04-27 00:00:00', '2026-05-04 00:00:00', 'm3', 1, 1, 30, 30, 30000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'z', 0),"
                                + "('week', '2026-04-20 00:00:00', '2026-04-27 00:00:00', 'm2', 1, 1, 999, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'y', 0),"
                                // m1's days: not weeks, so not in the comparison
                                + "('day', '2026-05-04 00:00:00', '2026-05-05 00:00:00', 'm1', 1, 2, 60, 50, 300000, 5000, 4000, 50, 45, 3, 2, 1, 10, 10, 'x1', 42.26),"
                                + "('day', '2026-05-05 00:00:00', '2026-05-06 00:00:00', 'm1', 1, 1, 60, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x2', 0),"
                                + "('day', '2026-05-06 00:00:00', '2026-05-07 00:00:00', 'm1', 1, 1, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x2', 0)");
        // m1: 120 views against 80 (+50 %), 90 / 70 uniques, 600 / 400 s, 50 / 25 %, 12.5 / 5 %;
        // m2: 50 against nothing (no change %); m3: nothing against 30 (-100 %).
        assertEquals(
                List.of(
                        "m1\t120\t80\t50\t90\t70\t600\t400\t50\t25\t12.5\t5",
                        "m2\t50\t0\t\\N\t50\t0\t100\t0\t10\t0\t2\t0",
                        "m3\t0\t30\t-100\t0\t30\t0\t30\t0\t0\t0\t0"),
                run(
                        "period_comparison.sql",
                        Map.of("this_start", "toDate('2026-05-04')", "previous_start", "toDate('2026-04-27')")));
        // Days of m1 from May 4 to before May 6: 300 s watched, 5 s per view, median play 4 s; both
        // final (not provisional).
        assertEquals(
                List.of(
                        "2026-05-04 00:00:00\t2\t60\t50\t300\t5\t4\t50\t45\t3\t2\t1\t10\t10\tx1\t42.3\t0",
                        "2026-05-05 00:00:00\t1\t60\t60\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\tx2\t0\t0"),
                run(
                        "creator_periods.sql",
                        Map.of(
                                "creator_id",
                                "'m1'",
                                "grain",
                                "'day'",
                                "from",
                                "toDateTime('2026-05-04 00:00:00')",
                                "to",
                                "toDateTime('2026-05-06 00:00:00')")));
    }

    /** July 2026 fixtures of creator kj, apart from every other test's dates. */
    void loadJulyFixture() throws Exception {
        String days =
                "grain, window_start, window_end, content_id, creator_id, version, views, watch_time_ms, completions,"
                        + " likes, comments, shares, engagement_score, quality_score";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + days + ") VALUES "
                                + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j1', 'kj', 1, 100, 50000, 20, 5, 1, 4, 30, 40),"
                                + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j1', 'kj', 2, 120, 60000, 30, 6, 2, 4, 32, 44),"
                                + "('day', '2026-07-02 00:00:00', '2026-07-03 00:00:00', 'j1', 'kj', 1, 80, 40000, 8, 0, 0, 0, 12, 20),"
                                + "('day', '2026-07-03 00:00:00', '2026-07-04 00:00:00', 'j2', 'kj', 1, 50, 10000, 25, 10, 0, 0, 50, 60),"
                                + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j3', 'kj', 1, 300, 0, 0, 0, 0, 0, 5, 10),"
                                + "('day', '2026-08-10 00:00:00', '2026-08-11 00:00:00', 'j4', 'kj', 1, 999, 0, 0, 0, 0, 0, 99, 99)");
        String hours =
                "grain, window_start, window_end, content_id, creator_id, version, views, completions, ended_over_75,"
                        + " ended_over_50, ended_over_25, ended_under_25, views_mobile, views_tablet, views_desktop, views_tv, views_other_device";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (" + hours + ") VALUES "
                                + "('hour', '2026-07-01 10:00:00', '2026-07-01 11:00:00', 'j1', 'kj', 1, 10, 2, 1, 1, 1, 5, 6, 0, 4, 0, 0),"
                                + "('hour', '2026-07-01 10:00:00', '2026-07-01 11:00:00', 'j1', 'kj', 2, 12, 3, 2, 1, 1, 5, 7, 1, 4, 0, 0),"
                                + "('hour', '2026-07-01 11:00:00', '2026-07-01 12:00:00', 'j2', 'kj', 1, 8, 4, 0, 2, 1, 1, 2, 0, 0, 5, 1),"
                                + "('hour', '2026-07-02 11:00:00', '2026-07-02 12:00:00', 'j2', 'kj', 1, 50, 50, 0, 0, 0, 0, 50, 0, 0, 0, 0)");
        String countries =
                "grain, window_start, window_end, content_id, creator_id, country, version, views, watch_time_ms";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_country_metrics (" + countries + ") VALUES "
                        + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j1', 'kj', 'US', 1, 10, 5000),"
                        + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j1', 'kj', 'US', 2, 60, 30000),"
                        + "('day', '2026-07-01 00:00:00', '2026-07-02 00:00:00', 'j1', 'kj', 'DE', 1, 20, 10000),"
                        + "('day', '2026-07-03 00:00:00', '2026-07-04 00:00:00', 'j2', 'kj', 'US', 1, 20, 4000),"
                        + "('day', '2026-08-10 00:00:00', '2026-08-11 00:00:00', 'j2', 'kj', 'FR', 1, 99, 0)");
    }

    @Test
    void creatorContentListSortsAndPages() throws Exception {
        loadJulyFixture();
        // j1: days 07-01 (v2: 120 views) + 07-02 (80) = 200 views, 100 s, 38 completions (19 %),
        //     (6 + 2 + 4) / 200 = 6 % engagement, scores (32*120 + 12*80) / 200 = 24 and
        //     (44*120 + 20*80) / 200 = 34.4; j2: 50 views on 07-03; j3: 300 views on 07-01; j4 is in August.
        Map<String, String> july =
                Map.of("creator_id", "'kj'", "from", "toDate('2026-07-01')", "to", "toDate('2026-07-31')");
        java.util.function.Function<String, List<String>> sorted = sort -> {
            java.util.Map<String, String> p = new java.util.HashMap<>(july);
            p.put("sort", "'" + sort + "'");
            try {
                return run("creator_content.sql", p).stream()
                        .map(r -> r.split("\t")[0])
                        .toList();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(List.of("j2", "j1", "j3"), sorted.apply("recent"));
        assertEquals(List.of("j3", "j1", "j2"), sorted.apply("views"));
        assertEquals(List.of("j2", "j1", "j3"), sorted.apply("engagement"));
        assertEquals(List.of("j2", "j1", "j3"), sorted.apply("quality"));
        java.util.Map<String, String> page = new java.util.HashMap<>(july);
        page.putAll(Map.of("sort", "'views'", "offset", "1", "limit", "1"));
        assertEquals(List.of("j1\t2026-07-02 00:00:00\t200\t100\t19\t6\t24\t34.4"), run("creator_content.sql", page));
    }

    @Test
    void typicalPerformanceComparesAContentAtAnAgeWithTheCreatorsAndThePlatforms() throws Exception {
        // Hours relative to now (a content's age counts from its first hour window), as epoch seconds.
        long base = java.time.Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                        .getEpochSecond()
                - 100 * 3600;
        String columns = "grain, window_start, window_end, content_id, creator_id, version, views, validated_views,"
                + " completions, likes, comments, shares";
        java.util.function.BiFunction<Long, String, String> hour =
                (start, rest) -> "('hour', " + start + ", " + (start + 3600) + ", " + rest + ")";
        long h = 3600;
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_metrics (" + columns + ") VALUES "
                        // ty's ty1, the content asked about: 10 + 20 views in its first 2 hours; its third is later.
                        + hour.apply(base, "'ty1', 'ty', 1, 10, 8, 5, 1, 0, 1") + ","
                        + hour.apply(base + h, "'ty1', 'ty', 1, 20, 15, 6, 2, 1, 0") + ","
                        + hour.apply(base + 2 * h, "'ty1', 'ty', 1, 100, 100, 0, 0, 0, 0") + ","
                        + hour.apply(base + 10 * h, "'ty2', 'ty', 1, 40, 40, 20, 4, 0, 0") + ","
                        + hour.apply(base + 20 * h, "'ty3', 'ty', 1, 5, 5, 1, 0, 0, 0") + ","
                        + hour.apply(base + 21 * h, "'ty3', 'ty', 1, 5, 5, 1, 0, 0, 0") + ","
                        + hour.apply(base + 30 * h, "'ty4', 'ty', 1, 25, 20, 10, 5, 0, 0") + ","
                        + hour.apply(base + 35 * h, "'ty4', 'ty', 1, 1000, 0, 0, 0, 0, 0") + ","
                        // ty5 is younger than 2 hours, ty6 older than the 7 recent days: neither is compared.
                        + hour.apply(base + 99 * h, "'ty5', 'ty', 1, 999, 0, 0, 0, 0, 0") + ","
                        + hour.apply(base - 240 * h, "'ty6', 'ty', 1, 999, 0, 0, 0, 0, 0") + ","
                        // another creator's contents count for the platform only
                        + hour.apply(base + 5 * h, "'tz1', 'tz', 1, 60, 0, 0, 0, 0, 0") + ","
                        + hour.apply(base + 6 * h, "'tz2', 'tz', 1, 70, 0, 0, 0, 0, 0"));
        // At 2 hours: ty1 30 views, 23 validated, 11 completions (36.7 %), 5 engaged (16.7 %). The creator's
        // others: ty2 40, ty3 10, ty4 25 -> p25 10, median 25, p75 40; ty1 is 20 % above the median and 2nd
        // (ty2 has more). Validated 40, 10, 20 -> median 20; completion 50, 20, 40 % -> 40; engagement 10,
        // 0, 20 % -> 10. Platform: 30, 40, 10, 25, 60, 70 -> median (ClickHouse's, the upper one) 40,
        // ty1 25 % below.
        assertEquals(
                List.of("ty1\tty\t2\t30\t10\t25\t40\t3\t20\t40\t-25\t2\t23\t20\t36.7\t40\t16.7\t10"),
                run("content_typical.sql", Map.of("content_id", "'ty1'", "age_hours", "2", "recent_days", "7")));
    }

    @Test
    void theRealtimeCardAddsUpTheCreatorsMinutesOfTheLastHour() throws Exception {
        long minute = java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                .getEpochSecond();
        String columns =
                "grain, window_start, window_end, content_id, creator_id, version, views, watch_time_ms, likes,"
                        + " comments, shares";
        java.util.function.BiFunction<Long, String, String> row =
                (start, rest) -> "('minute', " + start + ", " + (start + 60) + ", " + rest + ")";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_metrics (" + columns + ") VALUES "
                        // 5 minutes ago: rt1 3 views (version 2 replaces 1) and rt2 2 views; 3 minutes ago rt1 4
                        + row.apply(minute - 300, "'rt1', 'rt', 1, 1, 1000, 0, 0, 0") + ","
                        + row.apply(minute - 300, "'rt1', 'rt', 2, 3, 9000, 1, 0, 0") + ","
                        + row.apply(minute - 300, "'rt2', 'rt', 1, 2, 4000, 0, 1, 1") + ","
                        + row.apply(minute - 180, "'rt1', 'rt', 1, 4, 2000, 0, 0, 0") + ","
                        // 90 minutes ago: outside the hour; another creator's minute
                        + row.apply(minute - 5400, "'rt1', 'rt', 1, 50, 0, 0, 0, 0") + ","
                        + row.apply(minute - 120, "'ro1', 'ro', 1, 70, 0, 0, 0, 0") + ","
                        // an hour row of rt must not count as a minute
                        + "('hour', " + (minute - 3600) + ", " + minute + ", 'rt1', 'rt', 1, 99, 0, 0, 0, 0)");
        // minute -5: 3 + 2 views, 13 s, 1 like + 1 comment + 1 share, 2 contents; minute -3: 4 views, 2 s, 0, 1.
        List<String> minutes = run("creator_realtime.sql", Map.of("creator_id", "'rt'"));
        assertEquals(
                List.of("5\t13\t3\t2", "4\t2\t0\t1"),
                minutes.stream().map(r -> r.split("\t", 3)[2]).toList(),
                minutes.toString());
        assertEquals(String.valueOf(minute - 300), minutes.get(0).split("\t")[1], "the minute's start, epoch seconds");
        assertEquals(
                List.of("4\t2\t0\t1"),
                run("creator_realtime.sql", Map.of("creator_id", "'rt'", "minutes", "4")).stream()
                        .map(r -> r.split("\t", 3)[2])
                        .toList());
    }

    @Test
    void uniqueViewersComeFromTheHoursTheViewsComeFrom() throws Exception {
        // uv1 (creator uv): 10:00 closed with 2 views by a and b; 11:00 still open (raw events of c, d, e,
        // no window row yet). The cards count 2 views and 2 viewers, never 5 viewers for 2 views.
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        StringBuilder values = new StringBuilder();
        String[][] plays = {{"a", "10:05"}, {"b", "10:20"}, {"c", "11:01"}, {"d", "11:02"}, {"e", "11:03"}};
        for (int i = 0; i < plays.length; i++) {
            values.append(i == 0 ? "" : ",")
                    .append("('uv-e")
                    .append(i)
                    .append("', 'view_start', 'uv1', 'uv', '")
                    .append(plays[i][0])
                    .append("', 's', '2026-10-01 ")
                    .append(plays[i][1])
                    .append(":00', 0, 'u', 0, ")
                    .append(900 + i)
                    .append(")");
        }
        clickhouse.http().execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES " + values);
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id, creator_id,"
                                + " version, views) VALUES ('hour', '2026-10-01 10:00:00', '2026-10-01 11:00:00', 'uv1', 'uv', 1, 2)");
        Map<String, String> day =
                Map.of("from", "toDateTime('2026-10-01 00:00:00')", "to", "toDateTime('2026-10-02 00:00:00')");
        Map<String, String> creator = new java.util.HashMap<>(day);
        creator.put("creator_id", "'uv'");
        List<String> card = run("creator_dashboard.sql", creator);
        assertEquals(1, card.size(), card.toString());
        String[] columns = card.get(0).split("\t");
        assertEquals(List.of("uv", "1", "2", "2"), List.of(columns).subList(0, 4), card.toString());
        Map<String, String> content = new java.util.HashMap<>(day);
        content.put("content_id", "'uv1'");
        String[] contentRow = run("content_analytics.sql", content).get(0).split("\t");
        assertEquals(List.of("uv1", "2", "2"), List.of(contentRow).subList(0, 3));
    }

    @Test
    void provisionalRowsShowTheOpenHourUntilTheFinalRowReplacesThem() throws Exception {
        // pv1 (creator pv): 10:00 closed with 1 view (a); 11:00 open, its raw events 4 plays by b, c, d, e.
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        StringBuilder values = new StringBuilder();
        String[][] plays = {{"a", "10:05"}, {"b", "11:01"}, {"c", "11:02"}, {"d", "11:03"}, {"e", "11:04"}};
        for (int i = 0; i < plays.length; i++) {
            values.append(i == 0 ? "" : ",")
                    .append("('pv-e")
                    .append(i)
                    .append("', 'view_start', 'pv1', 'pv', '")
                    .append(plays[i][0])
                    .append("', 's', '2026-10-02 ")
                    .append(plays[i][1])
                    .append(":00', 0, 'u', 0, ")
                    .append(950 + i)
                    .append(")");
        }
        clickhouse.http().execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES " + values);
        Map<String, String> params = new java.util.HashMap<>(Map.of(
                "from", "toDateTime('2026-10-02 00:00:00')",
                "to", "toDateTime('2026-10-03 00:00:00')",
                "creator_id", "'pv'"));
        insertHour("10:00", 1, 0, 1);
        // The open hour's first running value counts 2 of its 4 plays: 3 views, and at most 3 viewers
        // although the raw events already show 5.
        insertHour("11:00", 0, 1, 2);
        assertEquals(List.of("pv", "1", "3", "3"), cardHead(params));
        // A newer running value replaces the older one (same version 0, written later).
        insertHour("11:00", 0, 1, 4);
        assertEquals(List.of("pv", "1", "5", "5"), cardHead(params));
        // The final row replaces every running value, also one written after it (a replay after a restore).
        insertHour("11:00", 1, 0, 4);
        insertHour("11:00", 0, 1, 3);
        assertEquals(List.of("pv", "1", "5", "5"), cardHead(params));
        // A creator's open hour reads as provisional until its final row.
        Map<String, String> hours = Map.of(
                "creator_id", "'pv'",
                "grain", "'hour'",
                "from", "toDateTime('2026-10-02 00:00:00')",
                "to", "toDateTime('2026-10-03 00:00:00')");
        String creatorRow = "INSERT INTO engagement.creator_metrics (grain, window_start, window_end, creator_id,"
                + " version, contents, views, provisional) VALUES ('hour', '2026-10-02 11:00:00', '2026-10-02 12:00:00', 'pv', ";
        clickhouse.http().execute(creatorRow + "0, 1, 3, 1)");
        List<String> open = run("creator_periods.sql", hours);
        assertEquals(1, open.size(), open.toString());
        String[] openRow = open.get(0).split("\t");
        assertEquals(List.of("3", "1"), List.of(openRow[2], openRow[openRow.length - 1]), open.toString());
        clickhouse.http().execute(creatorRow + "1, 1, 5, 0)");
        String[] closedRow = run("creator_periods.sql", hours).get(0).split("\t");
        assertEquals(List.of("5", "0"), List.of(closedRow[2], closedRow[closedRow.length - 1]));
    }

    private void insertHour(String hour, long version, int provisional, long views) throws Exception {
        String start = "2026-10-02 " + hour + ":00";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_metrics (grain, window_start, window_end, content_id,"
                        + " creator_id, version, views, provisional) VALUES ('hour', '" + start + "', toDateTime('"
                        + start + "') + 3600, 'pv1', 'pv', " + version + ", " + views + ", " + provisional + ")");
    }

    private List<String> cardHead(Map<String, String> params) throws Exception {
        List<String> card = run("creator_dashboard.sql", params);
        assertEquals(1, card.size(), card.toString());
        return List.of(card.get(0).split("\t")).subList(0, 4);
    }

    @Test
    void liveThroughputCountsEachAcceptedEventOnceAndTheDeadLettersPerMinute() throws Exception {
        // Ten minutes ago: events live-a, live-b and a second physical copy of live-a (a batch a restore
        // wrote twice), and one dead letter; no closed minute window at all in this fixture's last day.
        long minute = (System.currentTimeMillis() / 60_000 - 10) * 60;
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        String at = "toDateTime(" + (minute + 5) + ")";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('live-a', 'view_start', 'lv', 'k', 'u', 's', " + at + ", 0, 'live', 0, 1),"
                        + "('live-b', 'view_start', 'lv', 'k', 'u', 's', " + at + ", 0, 'live', 0, 2)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('live-a', 'view_start', 'lv', 'k', 'u', 's', " + at + ", 0, 'live', 0, 1)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.dead_letters (reason, detail, payload_encoding, source_topic,"
                        + " source_partition, source_offset, received_at) VALUES ('malformed', '', 'utf8', 'live', 0, 3, "
                        + at + ")");
        List<String> rows = run("platform_live.sql", Map.of("minutes", "60"));
        List<String> ours = rows.stream()
                .filter(r -> r.startsWith(minute + "\t"))
                .map(r -> String.join("\t", List.of(r.split("\t")).subList(0, 3)))
                .toList();
        assertEquals(List.of(minute + "\t2\t1"), ours, rows.toString());
        long sinceNewestEvent = Long.parseLong(rows.get(0).split("\t")[3]);
        assertTrue(sinceNewestEvent >= 0 && sinceNewestEvent <= 600 - 5 + 60, rows.toString());
    }

    @Test
    void creatorAlertsNewestFirstOncePerIdWithinTheRange() throws Exception {
        String columns = "alert_id, kind, creator_id, content_id, window_start, window_end, observed_views,"
                + " typical_views, raised_at";
        String rows = "('spike:a1:1', 'spike', 'ka', 'a1', '2026-05-02 10:00:00', '2026-05-02 10:01:00', 200, 16,"
                + " '2026-05-02 10:01:31'),"
                + "('drop:a2:1', 'drop', 'ka', 'a2', '2026-05-02 11:00:00', '2026-05-02 11:10:00', 38, 200,"
                + " '2026-05-02 11:10:31'),"
                + "('day_high:ka:1', 'day_high', 'ka', '', '2026-04-20 00:00:00', '2026-04-21 00:00:00', 4000, 1271.43,"
                + " '2026-04-21 00:00:31'),"
                + "('spike:b1:1', 'spike', 'kb', 'b1', '2026-05-02 10:00:00', '2026-05-02 10:01:00', 90, 10,"
                + " '2026-05-02 10:01:31')";
        // The drop written twice (a replay after a restore): one row under FINAL.
        clickhouse.http().execute("INSERT INTO engagement.creator_alerts (" + columns + ") VALUES " + rows);
        clickhouse
                .http()
                .execute("INSERT INTO engagement.creator_alerts (" + columns + ") VALUES "
                        + "('drop:a2:1', 'drop', 'ka', 'a2', '2026-05-02 11:00:00', '2026-05-02 11:10:00', 38, 200,"
                        + " '2026-05-02 11:10:45')");
        List<String> alerts = run(
                "creator_alerts.sql",
                Map.of(
                        "creator_id",
                        "'ka'",
                        "from",
                        "toDateTime('2026-05-01 00:00:00')",
                        "to",
                        "toDateTime('2026-05-03 00:00:00')",
                        "limit",
                        "10"));
        // Creator ka's two alerts of May, newest window first (kb's and April's left out); ratio 38 / 200
        // = 0.19 and 200 / 16 = 12.5.
        assertEquals(
                List.of("drop:a2:1\tdrop\ta2\t38\t200\t0.19", "spike:a1:1\tspike\ta1\t200\t16\t12.5"),
                alerts.stream()
                        .map(r -> {
                            String[] f = r.split("\t");
                            return String.join("\t", f[0], f[1], f[2], f[5], f[6], f[7]);
                        })
                        .toList(),
                alerts.toString());
        assertEquals(
                1,
                run(
                                "creator_alerts.sql",
                                Map.of(
                                        "creator_id",
                                        "'ka'",
                                        "from",
                                        "toDateTime('2026-04-01 00:00:00')",
                                        "to",
                                        "toDateTime('2026-05-03 00:00:00')",
                                        "limit",
                                        "1"))
                        .size());
    }

    @Test
    void retentionCurveOfAContentAgainstTheCreatorsContentsOfSimilarLength() throws Exception {
        // rt1 (creator rk, 60 s): hour 10 ended plays at 0 % (2), 50 % (1) and the end (1), intro hold 2
        // of 4; hour 11 at 0 % (1), 95 % (1) and the end (2), 3 of 4 (its provisional row, written before,
        // is replaced). Together 8 plays: still watching 8 at 0 %, 5 from 5 % to 50 %, 4 from 55 % to
        // 95 %, 3 at the end; intro hold 5 of 8.
        insertRetention("rt1", "rk", "10:00", 1, 0, Map.of(0, 2L, 10, 1L, 20, 1L), 4, 2);
        insertRetention("rt1", "rk", "11:00", 0, 1, Map.of(0, 9L), 9, 0);
        insertRetention("rt1", "rk", "11:00", 1, 0, Map.of(0, 1L, 19, 1L, 20, 2L), 4, 3);
        // The creator's contents of similar length (30 s .. 120 s): rt2 (50 s) half at 0 %, half to the
        // end; rt3 (100 s) all at 50 %; rt6 (60 s) all to the end. Not rt4 (300 s) nor rt5 (another
        // creator's), whose plays all ended at 0 %.
        insertRetention("rt2", "rk", "10:00", 1, 0, Map.of(0, 1L, 20, 1L), 0, 0);
        insertRetention("rt3", "rk", "10:00", 1, 0, Map.of(10, 2L), 0, 0);
        insertRetention("rt6", "rk", "12:00", 1, 0, Map.of(20, 3L), 0, 0);
        insertRetention("rt4", "rk", "10:00", 1, 0, Map.of(0, 5L), 0, 0);
        insertRetention("rt5", "rj", "10:00", 1, 0, Map.of(0, 5L), 0, 0);
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.content_catalog (content_id, creator_id, duration_ms, deleted, version)"
                                + " VALUES ('rt1', 'rk', 60000, 0, 1), ('rt2', 'rk', 50000, 0, 1), ('rt3', 'rk', 100000, 0, 1),"
                                + " ('rt6', 'rk', 60000, 0, 1), ('rt4', 'rk', 300000, 0, 1), ('rt5', 'rj', 60000, 0, 1)");
        List<String> rows = run(
                "content_retention.sql",
                Map.of(
                        "content_id", "'rt1'",
                        "from", "toDateTime('2026-11-02 00:00:00')",
                        "to", "toDateTime('2026-11-03 00:00:00')"));
        assertEquals(21, rows.size(), rows.toString());
        for (int k = 0; k <= 20; k++) {
            String[] row = rows.get(k).split("\t");
            String still = k == 0 ? "100" : k <= 10 ? "62.5" : k <= 19 ? "50" : "37.5";
            // The typical median: of rt2, rt3, rt6 still watching at k: 1, 1, 1 at 0; 0.5, 1, 1 to 50 %;
            // 0.5, 0, 1 after.
            String median = k <= 10 ? "100" : "50";
            assertEquals(
                    List.of(Integer.toString(5 * k), still, "8", "62.5", median, "3"),
                    List.of(row[0], row[1], row[2], row[3], row[5], row[7]),
                    rows.get(k));
            double p25 = Double.parseDouble(row[4]);
            double p75 = Double.parseDouble(row[6]);
            assertTrue(p25 <= Double.parseDouble(median) && Double.parseDouble(median) <= p75, rows.get(k));
        }
    }

    private void insertRetention(
            String content,
            String creator,
            String hour,
            long version,
            int provisional,
            Map<Integer, Long> exits,
            long introPlays,
            long introHeld)
            throws Exception {
        long[] counts = new long[21];
        exits.forEach((bucket, n) -> counts[bucket] = n);
        String start = "2026-11-02 " + hour + ":00";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_retention (grain, window_start, window_end, content_id,"
                        + " creator_id, version, provisional, exits, intro_plays, intro_held) VALUES ('hour', '"
                        + start + "', toDateTime('" + start + "') + 3600, '" + content + "', '" + creator
                        + "', " + version + ", " + provisional + ", "
                        + java.util.Arrays.toString(counts).replace(" ", "") + ", " + introPlays + ", "
                        + introHeld
                        + ")");
    }

    @Test
    void trendingLabelsAddUpTheirContentsAtTheLatestHour() throws Exception {
        // Labels of the velocity fixture's contents at 12:00 (t1 2400 vs 1000 views, t2 4800 vs 1000, t3 240
        // vs 10, t4 4800 vs 9600); t2's newer entry adds #party, t4 is deleted (it would make comedy and
        // #party decline).
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_catalog (content_id, creator_id, category, hashtags, sound_id,"
                        + " deleted, version) VALUES "
                        + "('t1', 'k', 'music', 'dance summer', 's1', 0, 1),"
                        + "('t2', 'k', 'music', 'dance', 's2', 0, 2),"
                        + "('t2', 'k', 'music', 'dance party', 's2', 0, 3),"
                        + "('t3', 'k', 'comedy', 'summer', 's1', 0, 4),"
                        + "('t4', 'k', 'comedy', 'party', 's2', 0, 5),"
                        + "('t4', '', '', '', '', 1, 6)");
        // #dance: t1 + t2 = 7200 vs 2000, 300 an hour, +260 %; #party: t2 = 4800 vs 1000, 200, +380 %;
        // #summer: t1 + t3 = 2640 vs 1010, 110, +161.4 %.
        assertEquals(
                List.of(
                        "dance\t2\t7200\t2000\t300\t260",
                        "party\t1\t4800\t1000\t200\t380",
                        "summer\t2\t2640\t1010\t110\t161.4"),
                run("trending_labels.sql", Map.of("kind", "'hashtag'")));
        assertEquals(
                List.of("dance\t2\t7200\t2000\t300\t260"),
                run("trending_labels.sql", Map.of("kind", "'hashtag'", "limit", "1")));
        assertEquals(
                List.of("s2\t1\t4800\t1000\t200\t380", "s1\t2\t2640\t1010\t110\t161.4"),
                run("trending_labels.sql", Map.of("kind", "'sound'")));
        // comedy is t3 alone (240 vs 10, 10 an hour, +2300 %): the deleted t4 counts nowhere.
        assertEquals(
                List.of("music\t2\t7200\t2000\t300\t260", "comedy\t1\t240\t10\t10\t2300"),
                run("trending_labels.sql", Map.of("kind", "'category'")));
    }

    @Test
    void reachFunnelOfAContentAndOfACreator() throws Exception {
        String columns =
                "grain, window_start, window_end, content_id, creator_id, version, impressions, views, feed_views,"
                        + " completions, likes, follows, views_organic, views_following, views_profile, views_hashtag,"
                        + " views_search, views_direct, views_other_source";
        String ten = "'hour', '2026-09-01 10:00:00', '2026-09-01 11:00:00', ";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_metrics (" + columns + ") VALUES "
                        + "(" + ten + "'r1', 'kr', 1, 100, 30, 20, 10, 5, 1, 15, 5, 4, 2, 2, 1, 1),"
                        + "(" + ten + "'r1', 'kr', 2, 120, 40, 30, 12, 6, 2, 20, 10, 4, 2, 2, 1, 1),"
                        + "('hour', '2026-09-01 11:00:00', '2026-09-01 12:00:00', 'r1', 'kr', 1, 80, 10, 8, 3, 1, 0,"
                        + " 5, 3, 1, 0, 1, 0, 0),"
                        + "(" + ten + "'r2', 'kr', 1, 0, 20, 0, 5, 2, 1, 0, 0, 10, 0, 5, 5, 0),"
                        + "(" + ten + "'r3', 'ko', 1, 50, 50, 50, 50, 50, 50, 50, 0, 0, 0, 0, 0, 0),"
                        + "('hour', '2026-09-02 10:00:00', '2026-09-02 11:00:00', 'r1', 'kr', 1, 999, 999, 999, 0, 0,"
                        + " 0, 999, 0, 0, 0, 0, 0, 0)");
        Map<String, String> range =
                Map.of("from", "toDateTime('2026-09-01 00:00:00')", "to", "toDateTime('2026-09-02 00:00:00')");
        java.util.function.BiFunction<String, String, List<String>> reach = (content, creator) -> {
            Map<String, String> params = new java.util.HashMap<>(range);
            params.put("content_id", content);
            params.put("creator_id", creator);
            try {
                return run("reach_funnel.sql", params);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // r1 (version 2 of 10:00 replaces version 1; the next day is outside): 120 + 80 impressions, 40 + 10
        // views, 30 + 8 feed views (38 / 200 = 19 %), 15 completions (30 % of 50), 7 likes (14 %), 2 follows
        // (4 %); sources 20 + 5, 10 + 3, 4 + 1, 2 + 0, 2 + 1, 1 + 0, 1 + 0.
        assertEquals(List.of("200\t50\t38\t19\t15\t30\t7\t14\t2\t4\t25\t13\t5\t2\t3\t1\t1"), reach.apply("'r1'", "''"));
        // r2 has no impressions: no click-through (NULL), its other rates as usual.
        assertEquals(List.of("0\t20\t0\t\\N\t5\t25\t2\t10\t1\t5\t0\t0\t10\t0\t5\t5\t0"), reach.apply("'r2'", "''"));
        // Creator kr = r1 + r2 (r3 is another creator's): 70 views, 20 completions (28.6 %), 9 likes (12.9 %),
        // 3 follows (4.3 %).
        assertEquals(
                List.of("200\t70\t38\t19\t20\t28.6\t9\t12.9\t3\t4.3\t25\t13\t15\t2\t8\t6\t1"),
                reach.apply("''", "'kr'"));
    }

    @Test
    void creatorCountriesAndBreakdowns() throws Exception {
        loadJulyFixture();
        // Countries in July: US 60 (v2) + 20 = 80 of 100 views, 34 s; DE 20, 10 s; FR is in August.
        assertEquals(
                List.of("US\t80\t80\t34", "DE\t20\t20\t10"),
                run(
                        "creator_countries.sql",
                        Map.of("creator_id", "'kj'", "from", "toDate('2026-07-01')", "to", "toDate('2026-07-31')")));
        // July 1 hours: j1 10:00 (v2) + j2 11:00: 12 + 8 views, 3 + 4 completed, 2 + 0 past 75 %, 1 + 2 past 50 %,
        // 1 + 1 past 25 %, 5 + 1 under 25 %; mobile 7 + 2, tablet 1, desktop 4, tv 5, other 1. July 2 is outside.
        assertEquals(
                List.of("20\t7\t2\t3\t2\t6\t9\t1\t4\t5\t1"),
                run(
                        "creator_breakdowns.sql",
                        Map.of(
                                "creator_id",
                                "'kj'",
                                "from",
                                "toDateTime('2026-07-01 00:00:00')",
                                "to",
                                "toDateTime('2026-07-02 00:00:00')")));
    }

    @Test
    void anyMetricBrokenDownByACustomProperty() throws Exception {
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset, progress, watch_time_ms, property_keys, property_values";
        String at = "'2026-09-14 10:00:00', 0, 'props', 0, ";
        String pro = "['ab.feed', 'plan'], ['v2', 'pro']";
        String free = "['plan'], ['free']";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('p1', 'view_start', 'c', 'k', 'pa', 's1', " + at + "1, NULL, 1000, " + pro + "),"
                        + "('p2', 'view_start', 'c', 'k', 'pa', 's1', " + at + "2, NULL, 2000, " + pro + "),"
                        + "('p3', 'view_start', 'c', 'k', NULL, 's9', " + at + "3, NULL, 0, " + pro + "),"
                        + "('p4', 'swipe_away', 'c', 'k', 'pa', 's1', " + at + "4, 1.0, 500, " + pro + "),"
                        + "('p5', 'like', 'c', 'k', 'pa', 's1', " + at + "5, NULL, NULL, " + pro + "),"
                        + "('p6', 'view_start', 'c', 'k', 'pb', 's2', " + at + "6, NULL, 4000, " + free + "),"
                        + "('p7', 'view_complete', 'c', 'k', 'pb', 's2', " + at + "7, NULL, NULL, " + free + "),"
                        + "('p8', 'swipe_away', 'c', 'k', 'pb', 's2', " + at + "8, 0.4, NULL, " + free + "),"
                        + "('p9', 'view_start', 'c', 'k', 'pc', 's3', " + at + "9, NULL, NULL, [], []),"
                        // outside the range
                        + "('p10', 'view_start', 'c', 'k', 'pc', 's3', '2026-09-15 10:00:00', 0, 'props', 0, 10,"
                        + " NULL, NULL, " + free + ")");
        // By hand, 09-14: pro 3 views by 2 viewers (u:pa, s:s9), 1 completion (swipe at 1.0), 1 like,
        // 3 500 ms; free 1 view, 1 viewer, 1 completion, 4 000 ms; (none) the one view of pc.
        assertEquals(
                List.of("pro\t3\t2\t1\t1\t0\t3500", "(none)\t1\t1\t0\t0\t0\t0", "free\t1\t1\t1\t0\t0\t4000"),
                run(
                        "property_breakdown.sql",
                        Map.of(
                                "property", "'plan'",
                                "from", "toDateTime('2026-09-14 00:00:00')",
                                "to", "toDateTime('2026-09-15 00:00:00')")));
        // A nested key reads the same way; the events without it are one row.
        assertEquals(
                List.of("v2\t3\t2\t1\t1\t0\t3500", "(none)\t2\t2\t1\t0\t0\t4000"),
                run(
                        "property_breakdown.sql",
                        Map.of(
                                "property", "'ab.feed'",
                                "from", "toDateTime('2026-09-14 00:00:00')",
                                "to", "toDateTime('2026-09-15 00:00:00')")));
    }

    @Test
    void experimentSummaryGivesPerUserSumsAndSquaresPerVariant() throws Exception {
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset, progress, watch_time_ms, experiment, variant";
        String at = "'2026-09-20 10:00:00', 0, 'exp', 0, ";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('x1', 'view_start', 'c', 'k', 'u1', 's1', " + at + "1, NULL, 1000, 'e1', 'a'),"
                        + "('x2', 'view_start', 'c', 'k', 'u1', 's1', " + at + "2, NULL, NULL, 'e1', 'a'),"
                        + "('x3', 'like', 'c', 'k', 'u1', 's1', " + at + "3, NULL, NULL, 'e1', 'a'),"
                        + "('x4', 'view_start', 'c', 'k', 'u2', 's2', " + at + "4, NULL, 3000, 'e1', 'a'),"
                        + "('x5', 'view_start', 'c', 'k', 'u3', 's3', " + at + "5, NULL, NULL, 'e1', 'b'),"
                        + "('x6', 'view_start', 'c', 'k', 'u3', 's3', " + at + "6, NULL, NULL, 'e1', 'b'),"
                        + "('x7', 'view_start', 'c', 'k', 'u3', 's3', " + at + "7, NULL, NULL, 'e1', 'b'),"
                        + "('x8', 'swipe_away', 'c', 'k', 'u3', 's3', " + at + "8, 1.0, NULL, 'e1', 'b'),"
                        + "('x9', 'view_start', 'c', 'k', 'u4', 's4', " + at + "9, NULL, NULL, 'e1', 'a'),"
                        + "('x10', 'view_start', 'c', 'k', 'u4', 's4', " + at + "10, NULL, NULL, 'e1', 'b'),"
                        + "('x11', 'view_start', 'c', 'k', NULL, 's9', " + at + "11, NULL, NULL, 'e1', 'b'),"
                        // another experiment, and outside the range
                        + "('x12', 'view_start', 'c', 'k', 'u1', 's1', " + at + "12, NULL, NULL, 'e2', 'a'),"
                        + "('x13', 'view_start', 'c', 'k', 'u1', 's1', '2026-09-22 10:00:00', 0, 'exp', 0, 13,"
                        + " NULL, NULL, 'e1', 'a')");
        // The view gates' verdicts: u1's two view starts counted, one later taken back (-1); u3's three
        // counted; a replayed row of u3 (removed by FINAL); s9's not counted (no row).
        String validated = "experiment, variant, event_id, user_id, session_id, event_time, counted";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.experiment_validated_views (" + validated + ") VALUES "
                        + "('e1', 'a', 'x1', 'u1', 's1', '2026-09-20 10:00:00', 1),"
                        + "('e1', 'a', 'x2', 'u1', 's1', '2026-09-20 10:00:00', 1),"
                        + "('e1', 'a', 'x2', 'u1', 's1', '2026-09-20 10:00:00', -1),"
                        + "('e1', 'b', 'x5', 'u3', 's3', '2026-09-20 10:00:00', 1),"
                        + "('e1', 'b', 'x6', 'u3', 's3', '2026-09-20 10:00:00', 1),"
                        + "('e1', 'b', 'x7', 'u3', 's3', '2026-09-20 10:00:00', 1),"
                        + "('e2', 'a', 'x12', 'u1', 's1', '2026-09-20 10:00:00', 1)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.experiment_validated_views (" + validated + ") VALUES "
                        + "('e1', 'b', 'x7', 'u3', 's3', '2026-09-20 10:00:00', 1)");
        // By hand: u4 saw a and b (the row '(several)'); a: u1 (2 views, 1 validated, 1 000 ms, 1 like)
        // and u2 (1 view, none validated, 3 000 ms); b: u3 (3 views, 3 validated, 1 completion) and the
        // anonymous session s9 (1 view, none validated). Columns: users, views, views^2, validated,
        // validated^2, watch, watch^2, completions, ^2, engagements, ^2.
        assertEquals(
                List.of(
                        "(several)\t1\t2\t4\t0\t0\t0\t0\t0\t0\t0\t0",
                        "a\t2\t3\t5\t1\t1\t4000\t10000000\t0\t0\t1\t1",
                        "b\t2\t4\t10\t3\t9\t0\t0\t1\t1\t0\t0"),
                run(
                        "experiment_summary.sql",
                        Map.of(
                                "experiment", "'e1'",
                                "from", "toDateTime('2026-09-20 00:00:00')",
                                "to", "toDateTime('2026-09-21 00:00:00')")));
    }

    @Test
    void platformHealthRatesOverARange() throws Exception {
        String events = "event_id, event_type, content_id, creator_id, user_id, session_id, event_time, event_time_ms,"
                + " source_topic, source_partition, source_offset";
        String inRange = "'2026-07-20 10:00:00', 0, 'h', 7, ";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('x1', 'like', 'q', 'k', 'u', 's', " + inRange + "1), ('x2', 'like', 'q', 'k', 'u', 's', "
                        + inRange + "2),"
                        + "('x3', 'like', 'q', 'k', 'u', 's', " + inRange + "3), ('x4', 'like', 'q', 'k', 'u', 's', "
                        + inRange + "4),"
                        + "('x5', 'like', 'q', 'k', 'u', 's', '2026-07-25 10:00:00', 0, 'h', 7, 5)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('x1', 'like', 'q', 'k', 'u', 's', " + inRange
                        + "1)"); // a replayed copy: counted once under FINAL
        String late =
                "event_id, event_type, content_id, creator_id, session_id, event_time, event_time_ms, watermark_ms, reason,"
                        + " source_topic, source_partition, source_offset";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.late_events (" + late + ") VALUES "
                                + "('l1', 'like', 'q', 'k', 's', '2026-07-20 11:00:00', 0, 0, 'older than watermark minus allowed lateness', 'h', 7, 11),"
                                + "('l2', 'like', 'q', 'k', 's', '2026-07-20 11:00:00', 0, 0, 'older than watermark minus allowed lateness', 'h', 7, 12),"
                                + "('x2', 'like', 'q', 'k', 's', '2026-07-20 10:00:00', 0, 0, 'window closed: hour', 'h', 7, 2)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.duplicate_events (event_id, event_type, content_id, event_time, source_topic,"
                                + " source_partition, source_offset) VALUES ('x3', 'like', 'q', '2026-07-20 10:00:00', 'h', 7, 21)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.dead_letters (reason, detail, payload_encoding, source_topic, source_partition,"
                                + " source_offset, received_at) VALUES ('malformed_json', 'x', 'utf8', 'h', 7, 31, '2026-07-20 12:00:00'),"
                                + " ('malformed_json', 'x', 'utf8', 'h', 7, 32, '2026-07-20 12:00:00'), ('malformed_json', 'x', 'utf8', 'h', 7, 33, '2026-07-20 13:00:00'),"
                                + " ('malformed_json', 'x', 'utf8', 'h', 7, 34, '2026-07-25 12:00:00')");
        // July 20: 4 accepted, 2 too late (the 'window closed' row is an accepted event), 1 duplicate,
        // 3 dead letters: 10 in all, 30 % dead letters, 20 % late.
        assertEquals(
                List.of("4\t2\t1\t3\t30\t20"),
                run(
                        "platform_health.sql",
                        Map.of(
                                "from",
                                "toDateTime('2026-07-20 00:00:00')",
                                "to",
                                "toDateTime('2026-07-21 00:00:00')")));
    }

    @Test
    void reconciliationAccountsForEveryOffsetOnce() throws Exception {
        // Topic rt, partition 0: offsets 0-2 accepted (offset 1 written twice by a replay), 3 a
        // duplicate, 4 a dead letter, 5 too late; the 'window closed' row of offset 2 is an accepted
        // event seen late by a window, not a second outcome.
        String events =
                "event_id, event_type, content_id, creator_id, session_id, event_time, event_time_ms, source_topic,"
                        + " source_partition, source_offset";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('r0', 'like', 'rc', 'k', 's', '2026-08-01 10:00:00', 0, 'rt', 0, 0),"
                        + "('r1', 'like', 'rc', 'k', 's', '2026-08-01 10:00:01', 0, 'rt', 0, 1),"
                        + "('r2', 'like', 'rc', 'k', 's', '2026-08-01 10:00:02', 0, 'rt', 0, 2)");
        clickhouse
                .http()
                .execute("INSERT INTO engagement.engagement_events (" + events + ") VALUES "
                        + "('r1', 'like', 'rc', 'k', 's', '2026-08-01 10:00:01', 0, 'rt', 0, 1)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.duplicate_events (event_id, event_type, content_id, event_time, source_topic,"
                                + " source_partition, source_offset) VALUES ('r0', 'like', 'rc', '2026-08-01 10:00:00', 'rt', 0, 3)");
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.dead_letters (reason, detail, payload_encoding, source_topic, source_partition,"
                                + " source_offset) VALUES ('malformed_json', 'x', 'utf8', 'rt', 0, 4)");
        String late =
                "event_id, event_type, content_id, creator_id, session_id, event_time, event_time_ms, watermark_ms, reason,"
                        + " source_topic, source_partition, source_offset";
        clickhouse
                .http()
                .execute(
                        "INSERT INTO engagement.late_events (" + late + ") VALUES "
                                + "('r5', 'like', 'rc', 'k', 's', '2026-07-01 10:00:00', 0, 0, 'older than watermark minus allowed lateness', 'rt', 0, 5),"
                                + "('r2', 'like', 'rc', 'k', 's', '2026-08-01 10:00:02', 0, 0, 'window closed: hour', 'rt', 0, 2)");
        // topic, partition, accepted, duplicates, dead letters, too late, accounted, distinct offsets, first, last
        assertEquals(
                List.of("rt\t0\t3\t1\t1\t1\t6\t6\t0\t5"),
                run("reconciliation.sql", Map.of()).stream()
                        .filter(r -> r.startsWith("rt\t"))
                        .toList());
    }

    @Test
    void topCountriesOfAContentOverDays() throws Exception {
        String columns =
                "grain, window_start, window_end, content_id, creator_id, country, version, views, watch_time_ms, completions";
        clickhouse
                .http()
                .execute("INSERT INTO engagement.content_country_metrics (" + columns + ") VALUES "
                        + "('day', '2026-05-04 00:00:00', '2026-05-05 00:00:00', 'g1', 'k', 'US', 1, 10, 20000, 5),"
                        + "('day', '2026-05-04 00:00:00', '2026-05-05 00:00:00', 'g1', 'k', 'US', 2, 30, 60000, 15),"
                        + "('day', '2026-05-04 00:00:00', '2026-05-05 00:00:00', 'g1', 'k', 'GB', 1, 10, 10000, 0),"
                        + "('day', '2026-05-05 00:00:00', '2026-05-06 00:00:00', 'g1', 'k', 'US', 1, 10, 20000, 5),"
                        + "('day', '2026-05-05 00:00:00', '2026-05-06 00:00:00', 'g1', 'k', 'unknown', 1, 10, 0, 0),"
                        + "('day', '2026-05-07 00:00:00', '2026-05-08 00:00:00', 'g1', 'k', 'FR', 1, 500, 0, 0),"
                        + "('hour', '2026-05-04 10:00:00', '2026-05-04 11:00:00', 'g1', 'k', 'US', 1, 999, 0, 0),"
                        + "('day', '2026-05-04 00:00:00', '2026-05-05 00:00:00', 'g2', 'k', 'US', 1, 100, 0, 0)");
        // g1 on May 4-5: US 30 (v2) + 10 = 40 of 60 views (66.7 %), 80 s, 20 / 40 completions = 50 %;
        // GB 10 (16.7 %), unknown 10 (16.7 %). FR is after the range, the hour row another grain.
        assertEquals(
                List.of("US\t40\t66.7\t80\t50", "GB\t10\t16.7\t10\t0", "unknown\t10\t16.7\t0\t0"),
                run(
                        "top_countries.sql",
                        Map.of("content_id", "'g1'", "from", "toDate('2026-05-04')", "to", "toDate('2026-05-05')")));
    }

    // --- deploy/query.sh (RunQuery): what an analyst types ---

    record Outcome(int exitCode, String out, String err) {}

    Outcome query(String... args) {
        return query(Map.of(), args);
    }

    Outcome query(Map<String, String> env, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = RunQuery.run(args, env, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void queryToolBindsTypedValuesAndFormatsCsv() {
        Outcome o = query(
                "sql/queries/creator_last_7_days.sql",
                "--url",
                clickhouse.httpUrl(),
                "--param",
                "creator_id=creator-1",
                "--param",
                "end_day=2026-03-02",
                "--format",
                "csv");
        assertEquals(0, o.exitCode(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(3, lines.size(), o.out()); // header + the two days of the fixture
        assertEquals("\"2026-03-01\",1,80,80,8,10,0,0,0,0", lines.get(1));
    }

    @Test
    void queryToolValuesAreDataNeverSql() {
        for (String hostile : List.of("creator-1' OR 1=1 OR '", "creator-1\\' OR 1=1 --", "' OR ''='")) {
            Outcome o = query(
                    "sql/queries/creator_last_7_days.sql",
                    "--url",
                    clickhouse.httpUrl(),
                    "--param",
                    "creator_id=" + hostile,
                    "--param",
                    "end_day=2026-03-02",
                    "--format",
                    "csv");
            assertEquals(0, o.exitCode(), o.err());
            assertEquals(1, o.out().lines().count(), "only the header: no creator has that id; got " + o.out());
        }
        Outcome typed = query(
                "sql/queries/top_content_today.sql", "--url", clickhouse.httpUrl(), "--param", "limit=1; DROP TABLE x");
        assertEquals(1, typed.exitCode());
        assertEquals(
                "query.sh: parameter limit (UInt32) must be a whole number from 0 to 4294967295, not '1; DROP TABLE x'",
                typed.err().trim());
    }

    @Test
    void queryToolFormatsJsonAndExplainsItself() throws Exception {
        Outcome json = query(
                "sql/queries/top_content_today.sql",
                "--url",
                clickhouse.httpUrl(),
                "--param",
                "day=2026-03-02",
                "--format",
                "json");
        assertEquals(0, json.exitCode(), json.err());
        var data = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out())
                .get("data");
        assertEquals(3, data.size());
        assertEquals("c1", data.get(0).get("content_id").asText());

        Outcome help = query("sql/queries/creator_dashboard.sql", "--help");
        assertEquals(0, help.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                help.out().contains("creator_id       String    default: 'creator-1'"), help.out());

        Outcome usage = query("sql/queries/top_content_today.sql", "--fromat", "csv");
        assertEquals(2, usage.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                usage.err().startsWith("query.sh: unknown option '--fromat'"), usage.err());

        Outcome down = query("sql/queries/top_content_today.sql", "--url", "http://127.0.0.1:1");
        assertEquals(1, down.exitCode());
        org.junit.jupiter.api.Assertions.assertTrue(
                down.err().startsWith("query.sh: cannot connect to ClickHouse"), down.err());
    }

    @Test
    void queryToolReadsTheConfiguredDatabase() throws Exception {
        ApplySchema.apply(clickhouse.http(), Path.of("sql/ddl"), "engagement_other");
        Outcome other = query(
                Map.of("ENGAGEMENT_CLICKHOUSE_DATABASE", "engagement_other"),
                "sql/queries/top_content_today.sql",
                "--url",
                clickhouse.httpUrl(),
                "--param",
                "day=2026-03-02",
                "--format",
                "csv");
        assertEquals(0, other.exitCode(), other.err());
        assertEquals(1, other.out().lines().count(), "an empty database: only the header");
        Outcome fixture = query(
                "sql/queries/top_content_today.sql",
                "--url",
                clickhouse.httpUrl(),
                "--param",
                "day=2026-03-02",
                "--format",
                "csv",
                "--database",
                "engagement");
        assertEquals(4, fixture.out().lines().count(), fixture.out());
        assertEquals(
                2,
                query("sql/queries/top_content_today.sql", "--database", "x-y").exitCode());
    }
}
