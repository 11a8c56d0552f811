package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Minimal ClickHouse client over the HTTP interface, for schema changes, the demo report, analyst
 * queries and test assertions. HTTP reads work on every ClickHouse version (the JDBC driver cannot
 * read from 18.16); no compression is requested (18.16's Debian build answers compressed requests
 * with an empty body).
 */
public final class ClickHouseHttp {

    private final String baseUrl;
    private final String user;
    private final String password;
    private final HttpClient client;

    public ClickHouseHttp(String baseUrl, String user, String password) {
        this(baseUrl, user, password, null);
    }

    /** @param caFile PEM certificates to trust for an {@code https://} URL ({@link ClickHouseTls}); null: the JVM's */
    public ClickHouseHttp(String baseUrl, String user, String password, String caFile) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.user = user;
        this.password = password;
        this.client = ClickHouseTls.client(caFile);
    }

    /**
     * A failure for a tool's one-line error: ClickHouse's own message without its stack trace, a
     * refused connection named as such (its exception has no message).
     */
    public static String oneLine(Exception e) {
        if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
            return "cannot connect to ClickHouse (" + e + ")";
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int stack = message.indexOf(", Stack trace");
        message = stack > 0 ? message.substring(0, stack) : message;
        return message.lines().findFirst().orElse(message).trim();
    }

    /**
     * Derives the HTTP base URL from a {@code jdbc:clickhouse://host:port[/db][?...]} URL: {@code https://}
     * for {@code jdbc:clickhouse:https://...} or a {@code ssl=true} parameter (the JDBC driver's two
     * spellings), else {@code http://}.
     */
    public static String httpUrlFromJdbc(String jdbcUrl) {
        String scheme = "http://";
        String rest;
        if (jdbcUrl.startsWith("jdbc:clickhouse:https://")) {
            scheme = "https://";
            rest = jdbcUrl.substring("jdbc:clickhouse:https://".length());
        } else if (jdbcUrl.startsWith("jdbc:clickhouse:http://")) {
            rest = jdbcUrl.substring("jdbc:clickhouse:http://".length());
        } else {
            rest = jdbcUrl.substring("jdbc:clickhouse://".length());
        }
        int parameters = rest.indexOf('?');
        if (parameters >= 0
                && java.util.Arrays.asList(rest.substring(parameters + 1).split("&"))
                        .contains("ssl=true")) {
            scheme = "https://";
        }
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int at = rest.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return scheme + rest.substring(0, end);
    }

    /** Runs one statement and returns the response body; throws with ClickHouse's message on error. */
    public String execute(String sql) throws IOException {
        return execute(sql, Map.of());
    }

    /**
     * Runs one statement with URL parameters: settings ({@code readonly=1}) and query parameters
     * ({@code param_name=value}). Never credentials: ClickHouse logs URLs, with their parameters.
     */
    public String execute(String sql, Map<String, String> urlParameters) throws IOException {
        // Credentials in a Basic auth header.
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + queryString(urlParameters)))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", basicAuthorization(user, password))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying ClickHouse", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("ClickHouse answered " + response.statusCode() + " to [" + abbreviate(sql) + "]: "
                    + response.body().trim());
        }
        return response.body();
    }

    /** Tells a running query whether its caller still wants the answer ({@link #stream}). */
    @FunctionalInterface
    public interface Caller {
        /** True once the caller has gone (disconnected, timed out): the query is cancelled. */
        boolean gone();
    }

    /** A query stopped because its caller went away; ClickHouse was told to kill it. */
    public static final class QueryAbandoned extends IOException {
        public QueryAbandoned(String message) {
            super(message);
        }
    }

    /**
     * Runs a query and returns its answer as a stream, for answers passed on as they are read, never
     * held whole. The query runs under a fresh {@code query_id}; while ClickHouse works, the caller is
     * asked every 100 ms whether it is still there, and when it has gone, or {@code timeout} has passed,
     * the request is dropped and the query killed in ClickHouse ({@code KILL QUERY ... ASYNC}: a dropped
     * connection alone does not stop a query on 18.16, which lacks cancel_http_readonly_queries_on_client_close).
     * Throws with ClickHouse's message when it answers an error; the caller closes the stream.
     */
    public InputStream stream(String sql, Map<String, String> urlParameters, Duration timeout, Caller caller)
            throws IOException {
        String queryId = java.util.UUID.randomUUID().toString();
        Map<String, String> parameters = new java.util.LinkedHashMap<>(urlParameters);
        parameters.put("query_id", queryId);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + queryString(parameters)))
                .timeout(timeout)
                .header("Authorization", basicAuthorization(user, password))
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> answer =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<InputStream> response;
        try {
            while (true) {
                try {
                    response = answer.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    boolean gone = caller.gone();
                    if (gone || System.nanoTime() > deadline) {
                        answer.cancel(true);
                        kill(queryId);
                        throw new QueryAbandoned(
                                gone
                                        ? "the caller went away; query " + queryId + " killed"
                                        : "no answer within " + timeout.toSeconds() + " s; query " + queryId
                                                + " killed");
                    }
                }
            }
        } catch (InterruptedException e) {
            answer.cancel(true);
            kill(queryId);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying ClickHouse", e);
        } catch (java.util.concurrent.ExecutionException e) {
            kill(queryId);
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            throw new IOException(
                    "ClickHouse answered " + response.statusCode() + " to [" + abbreviate(sql) + "]: " + body.trim());
        }
        return response.body();
    }

    /**
     * Asks ClickHouse to stop a query, without waiting for it to end; a failure is left to the
     * query's own limits (max_execution_time), so it is not reported further.
     */
    private void kill(String queryId) {
        try {
            execute("KILL QUERY WHERE query_id = '" + queryId + "' ASYNC FORMAT TabSeparated");
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(ClickHouseHttp.class)
                    .warn("could not kill query {}: {}", queryId, oneLine(e));
        }
    }

    private static String queryString(Map<String, String> urlParameters) {
        StringBuilder query = new StringBuilder();
        urlParameters.forEach((name, value) -> query.append(query.length() == 0 ? "?" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /**
     * Waits until the mutations ({@code ALTER TABLE ... DELETE}) of a table are done: they run in the
     * background, and 18.16 has no setting to wait for them (mutations_sync came later).
     */
    public void awaitMutations(String database, String table) throws IOException {
        awaitMutations(database, table, null);
    }

    /**
     * The same on every shard of {@code cluster} ({@code cluster(...)} reads one replica of each
     * shard; the other replicas apply the mutation by replication), or on this server when
     * {@code cluster} is {@code null}.
     */
    public void awaitMutations(String database, String table, String cluster) throws IOException {
        String mutations = ClusterLayout.systemTable("mutations", cluster);
        long deadline = System.currentTimeMillis() + 300_000;
        while (!execute("SELECT count() FROM " + mutations + " WHERE database = '" + database + "' AND table = '"
                        + table + "' AND is_done = 0")
                .trim()
                .equals("0")) {
            if (System.currentTimeMillis() > deadline) {
                throw new IOException("the mutations of " + database + "." + table + " did not finish within 5 min; "
                        + "see system.mutations (they go on in the background)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the mutations of " + table, e);
            }
        }
    }

    /** The server's version as {major, minor}, from {@code SELECT version()}. */
    public int[] serverVersion() throws IOException {
        String[] parts = execute("SELECT version()").trim().split("\\.");
        return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
    }

    public boolean ping() {
        try {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/ping"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The {@code Authorization} header value for ClickHouse's HTTP interface (also used by the table sink). */
    public static String basicAuthorization(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(((user == null ? "" : user) + ":" + (password == null ? "" : password))
                                .getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }
}
