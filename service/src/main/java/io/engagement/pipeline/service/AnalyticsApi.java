package io.engagement.pipeline.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.engagement.pipeline.clickhouse.AnalystQuery;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.clickhouse.Database;
import io.engagement.pipeline.clickhouse.ServerFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the analyst queries of sql/queries (packed into the jar) for the analytics endpoints: the same
 * files analysts run with deploy/query.sh, so the API, the dashboard and SQL users see the same
 * numbers. Values are typed and bound by {@link AnalystQuery} (server-side parameters where the
 * server has them, escaped literals on 18.16), every query runs with {@code readonly=1} and reads
 * the replacing tables with {@code FINAL}. Rows come back as ordered maps, for JSON or CSV.
 */
public final class AnalyticsApi {

    /** The query files the endpoints use (without .sql). */
    static final List<String> QUERIES = List.of(
            "content_analytics",
            "top_countries",
            "creator_dashboard",
            "creator_periods",
            "creator_content",
            "creator_countries",
            "creator_breakdowns",
            "reach_funnel",
            "creator_realtime",
            "creator_alerts",
            "content_typical",
            "content_retention",
            "trending_now",
            "trending_labels",
            "top_performing",
            "user_watch_history",
            "session_analytics",
            "aggregated_metrics_by_period",
            "platform_health",
            "platform_live",
            "experiment_summary");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** One answer row of JSONEachRow, its columns in the query's order. */
    private static final ObjectReader ROW = JSON.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {});

    private final ClickHouseHttp clickhouse;
    private final String database;
    private final Map<String, AnalystQuery> queries = new LinkedHashMap<>();
    private volatile Boolean serverParameters;

    /** The most rows a {@code limit} or {@code top} may ask for. */
    public static final long MAX_LIMIT = 1_000;
    /** The longest period a {@code from} .. {@code to} range may span. */
    public static final java.time.Duration MAX_RANGE = java.time.Duration.ofDays(400);

    static final long MAX_EXECUTION_SECONDS = 10;
    static final long MAX_MEMORY_BYTES = 1L << 30;

    private final long maxResultRows;

    /** The most rows of one answer kept in {@link #answers}; a larger answer is streamed, not kept. */
    static final int CACHED_ANSWER_MAX_ROWS = 1_000;
    /** The most rows all kept answers hold together (Caffeine evicts the least used beyond). */
    static final long CACHE_MAX_ROWS = 200_000;

    /**
     * Recent answers by query and values, for {@code service.analytics.cache-ttl}: a dashboard opening
     * asks some queries twice (the totals, then the comparison's current period) and users of one
     * creator ask the same windows within seconds; null when the TTL is 0.
     */
    private final Cache<Answer, List<Map<String, Object>>> answers;

    /** One bound query: its SQL and its server-side parameters (the cache key). */
    private record Answer(String sql, Map<String, String> parameters) {}

    public AnalyticsApi(ClickHouseHttp clickhouse, String database) {
        this(clickhouse, database, 10_000, Duration.ZERO);
    }

    /**
     * @param maxResultRows the most rows ClickHouse may answer one query with (more: refused, not cut)
     * @param cacheTtl how long an answer is served again to the same query and values (0: never)
     */
    public AnalyticsApi(ClickHouseHttp clickhouse, String database, long maxResultRows, Duration cacheTtl) {
        this.clickhouse = clickhouse;
        this.database = database;
        this.maxResultRows = maxResultRows;
        this.answers = cacheTtl.isZero()
                ? null
                : Caffeine.newBuilder()
                        .expireAfterWrite(cacheTtl)
                        .maximumWeight(CACHE_MAX_ROWS)
                        .<Answer, List<Map<String, Object>>>weigher((key, rows) -> rows.size() + 1)
                        .recordStats()
                        .build();
        for (String name : QUERIES) {
            String resource = "/sql/queries/" + name + ".sql";
            try (InputStream in = AnalyticsApi.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(
                            resource + " is not on the classpath (the build packs sql/queries into the jar)");
                }
                queries.put(name, new AnalystQuery(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }
    }

    /** Whether the ClickHouse user is read-only by its profile; null until asked. */
    private volatile Boolean userReadOnly;

    /**
     * {@code readonly=1} on every query, unless the user's profile already makes it read-only (the
     * shipped {@code engagement_reader}): a read-only user may not set {@code readonly} at all on
     * 18.16, and needs no such guard. Asked once ({@code system.settings}).
     */
    private Map<String, String> readOnly(Map<String, String> url) throws IOException {
        if (userReadOnly == null) {
            String level = clickhouse
                    .execute("SELECT value FROM system.settings WHERE name = 'readonly' FORMAT TabSeparatedRaw")
                    .strip();
            userReadOnly = !level.isEmpty() && !level.equals("0");
        }
        if (!userReadOnly) {
            url.put("readonly", "1");
        }
        return url;
    }

    /** The content's owner by the content catalogue, or {@code null} when it is not (or no longer) in it. */
    public String creatorOf(String contentId) throws IOException {
        // The content catalogue decides, never the creator_id of event or metric rows (a client's
        // claim): the newest entry by version, none when the newest is a deletion.
        String answer = clickhouse
                .execute(
                        "SELECT argMax(creator_id, version), argMax(deleted, version) FROM " + database
                                + ".content_catalog WHERE content_id = "
                                + AnalystQuery.literal(AnalystQuery.Type.String, contentId)
                                + " FORMAT TabSeparatedRaw",
                        readOnly(new LinkedHashMap<>()))
                .strip();
        String[] owner = answer.split("\t", -1);
        return owner.length < 2 || owner[0].isEmpty() || !owner[1].equals("0") ? null : owner[0];
    }

    /** Receives an answer's rows one at a time, as ClickHouse sends them. */
    @FunctionalInterface
    public interface RowSink {
        void row(Map<String, Object> row) throws IOException;
    }

    /**
     * Runs query {@code name} with {@code values} (names and texts as an analyst gives them; the rest
     * take the file's defaults); throws {@link IllegalArgumentException} naming a bad value. The whole
     * answer in a list: for the small fixed answers that are merged before they are sent.
     */
    public List<Map<String, Object>> rows(String name, Map<String, String> values) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        stream(name, values, () -> false, rows::add);
        return rows;
    }

    /**
     * Runs query {@code name} and hands each row of its answer to {@code sink} as it is read, so the
     * service never holds an answer whole; returns the number of rows. ClickHouse keeps the answer
     * until the query has ended ({@code wait_end_of_query}), so a limit the query hits is an error
     * before the first row, never an answer cut short after a success status. When {@code caller} has
     * gone (a client that disconnected) or the query outlives its limit, the query is killed in
     * ClickHouse ({@link ClickHouseHttp#stream}).
     */
    public long stream(String name, Map<String, String> values, ClickHouseHttp.Caller caller, RowSink sink)
            throws IOException {
        AnalystQuery query = queries.get(name);
        if (query == null) {
            throw new IllegalStateException("no query " + name);
        }
        checkBounds(values);
        AnalystQuery.Bound bound = query.bind(values, serverParameters());
        if (answers == null) {
            return fromClickHouse(bound, caller, sink);
        }
        // Keyed by the bound query, so the same values written differently (a date, or the same date
        // with 00:00:00) are one answer.
        Answer key = new Answer(bound.sql(), Map.copyOf(bound.queryParameters()));
        List<Map<String, Object>> kept = answers.getIfPresent(key);
        if (kept != null) {
            for (Map<String, Object> row : kept) {
                sink.row(row);
            }
            return kept.size();
        }
        List<Map<String, Object>> captured = new ArrayList<>();
        long rows = fromClickHouse(bound, caller, row -> {
            Map<String, Object> unmodifiable = java.util.Collections.unmodifiableMap(row);
            if (captured.size() <= CACHED_ANSWER_MAX_ROWS) {
                captured.add(unmodifiable);
            }
            sink.row(unmodifiable);
        });
        if (rows <= CACHED_ANSWER_MAX_ROWS) {
            answers.put(key, List.copyOf(captured));
        }
        return rows;
    }

    /** Answers served from the cache and answers asked of ClickHouse since start ({@code service.analytics.cache-ttl}). */
    public long[] cacheHitsAndMisses() {
        if (answers == null) {
            return new long[] {0, 0};
        }
        var stats = answers.stats();
        return new long[] {stats.hitCount(), stats.missCount()};
    }

    private long fromClickHouse(AnalystQuery.Bound bound, ClickHouseHttp.Caller caller, RowSink sink)
            throws IOException {
        Map<String, String> url = new LinkedHashMap<>(bound.queryParameters());
        // ClickHouse's own limits for this query, before readonly=1 (which forbids changing settings):
        // a query that runs too long is stopped by the server, an answer too large is refused, not cut.
        url.put("max_execution_time", Long.toString(MAX_EXECUTION_SECONDS));
        url.put("max_result_rows", Long.toString(maxResultRows));
        url.put("result_overflow_mode", "throw");
        url.put("max_memory_usage", Long.toString(MAX_MEMORY_BYTES));
        url.put("wait_end_of_query", "1");
        readOnly(url);
        // Numbers as JSON numbers, not strings (the default for 64-bit integers).
        url.put("output_format_json_quote_64bit_integers", "0");
        long rows = 0;
        try (InputStream answer = clickhouse.stream(
                        Database.qualify(bound.sql(), database) + "\nFORMAT JSONEachRow",
                        url,
                        java.time.Duration.ofSeconds(MAX_EXECUTION_SECONDS + 5),
                        caller);
                MappingIterator<LinkedHashMap<String, Object>> each = ROW.readValues(answer)) {
            while (each.hasNextValue()) {
                sink.row(each.nextValue());
                rows++;
            }
        }
        return rows;
    }

    /**
     * Refuses a request for more than {@link #MAX_LIMIT} rows or a range longer than {@link #MAX_RANGE}
     * (a missing {@code to} counts as now), naming the parameter.
     */
    static void checkBounds(Map<String, String> values) {
        for (String name : List.of("limit", "top")) {
            String value = values.get(name);
            if (value != null && value.matches("\\d{1,18}") && Long.parseLong(value) > MAX_LIMIT) {
                throw new IllegalArgumentException(name + " may be at most " + MAX_LIMIT + ", not " + value);
            }
        }
        java.time.Instant start = values.get("from") == null ? null : AnalystQuery.instantOf(values.get("from"));
        java.time.Instant end =
                values.get("to") == null ? java.time.Instant.now() : AnalystQuery.instantOf(values.get("to"));
        // A malformed value is left to the query's own check, which names it.
        if (start != null
                && end != null
                && java.time.Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException(
                    "from .. to may span at most " + MAX_RANGE.toDays() + " days; ask for shorter periods");
        }
    }

    private boolean serverParameters() throws IOException {
        Boolean known = serverParameters;
        if (known == null) {
            known = ServerFeatures.detect(clickhouse).queryParameters();
            serverParameters = known;
        }
        return known;
    }

    /**
     * RFC 4180 CSV with a header line: the export of any endpoint. Text that a spreadsheet would run as
     * a formula (a cell starting with {@code = + - @}, tab or carriage return: OWASP's CSV injection
     * rule) gets a leading {@code '}, so a content id like {@code =HYPERLINK(...)} reaches a creator's
     * spreadsheet as text; numbers, negative ones included, are written as they are.
     */
    public static String csv(List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        if (rows.isEmpty()) {
            return "";
        }
        out.append(String.join(
                        ",",
                        rows.get(0).keySet().stream().map(AnalyticsApi::csvCell).toList()))
                .append("\r\n");
        for (Map<String, Object> row : rows) {
            out.append(String.join(
                            ",",
                            row.values().stream().map(AnalyticsApi::csvCell).toList()))
                    .append("\r\n");
        }
        return out.toString();
    }

    /** One CSV line (RFC 4180, CRLF) of cells, neutralised as {@link #csv} does. */
    static String csvLine(java.util.Collection<?> cells) {
        return String.join(",", cells.stream().map(AnalyticsApi::csvCell).toList()) + "\r\n";
    }

    private static String csvCell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return String.valueOf(value);
        }
        String text = String.valueOf(value);
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
        return quote ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
