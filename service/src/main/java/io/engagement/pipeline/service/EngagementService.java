package io.engagement.pipeline.service;

import io.engagement.pipeline.catalog.CatalogEntryReader;
import io.engagement.pipeline.catalog.CatalogRecord;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.event.EventValidator;
import io.engagement.pipeline.settings.ConfigException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's HTTP service: the tracking endpoints (apps send events), the analytics endpoints
 * (read ClickHouse through the analyst queries), the OpenAPI description and the dashboard. Every
 * route is declared once in {@link #ROUTES} (method, path, who may call it), from which the server is
 * built and against which docs/api.md and the OpenAPI file are tested.
 *
 * <pre>deploy/service.sh [--service.port 8090] ...   (settings: ServiceConfig, docs/api.md)</pre>
 */
public final class EngagementService implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EngagementService.class);

    /** Who may call a route. */
    enum Access {
        PUBLIC,
        TRACKING,
        READER,
        CREATOR_OF_PATH,
        OWNER_OF_CONTENT,
        ADMIN,
        METRICS,
        CATALOG
    }

    /** One route of the service. */
    record Route(HandlerType method, String path, Access access, String summary) {}

    static final List<Route> ROUTES = List.of(
            new Route(HandlerType.GET, "/health", Access.PUBLIC, "liveness"),
            new Route(HandlerType.GET, "/openapi.json", Access.PUBLIC, "this API's OpenAPI description"),
            new Route(HandlerType.GET, "/metrics", Access.METRICS, "the service's counters, Prometheus text format"),
            new Route(HandlerType.POST, "/v1/events", Access.TRACKING, "track one event"),
            new Route(HandlerType.POST, "/v1/events/batch", Access.TRACKING, "track up to 100 events (offline sync)"),
            new Route(HandlerType.GET, "/v1/me", Access.READER, "the caller's role and creator id"),
            new Route(
                    HandlerType.GET,
                    "/v1/content/{contentId}/metrics",
                    Access.OWNER_OF_CONTENT,
                    "a content's metrics over a range"),
            new Route(
                    HandlerType.GET,
                    "/v1/content/{contentId}/countries",
                    Access.OWNER_OF_CONTENT,
                    "a content's views by country"),
            new Route(
                    HandlerType.GET,
                    "/v1/content/{contentId}/typical",
                    Access.OWNER_OF_CONTENT,
                    "a content at an age against the creator's typical content and the platform"),
            new Route(
                    HandlerType.GET,
                    "/v1/content/{contentId}/retention",
                    Access.OWNER_OF_CONTENT,
                    "a content's audience retention curve and intro hold, with the creator's typical band"),
            new Route(
                    HandlerType.GET,
                    "/v1/content/{contentId}/reach",
                    Access.OWNER_OF_CONTENT,
                    "a content's click-through, funnel and traffic sources"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/analytics",
                    Access.CREATOR_OF_PATH,
                    "creator totals, rates, unique viewers, top content"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/comparison",
                    Access.CREATOR_OF_PATH,
                    "this period against the one before"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/timeline",
                    Access.CREATOR_OF_PATH,
                    "views and watch time per hour, day or week"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/content",
                    Access.CREATOR_OF_PATH,
                    "the creator's content, sorted and paged"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/countries",
                    Access.CREATOR_OF_PATH,
                    "the creator's views by country"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/breakdowns",
                    Access.CREATOR_OF_PATH,
                    "completion buckets and devices"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/realtime",
                    Access.CREATOR_OF_PATH,
                    "views and watch time per minute over the last minutes"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/reach",
                    Access.CREATOR_OF_PATH,
                    "click-through, funnel and traffic sources of the creator's content"),
            new Route(
                    HandlerType.GET,
                    "/v1/creators/{creatorId}/alerts",
                    Access.CREATOR_OF_PATH,
                    "the creator's alerts, newest first"),
            new Route(HandlerType.GET, "/v1/trending", Access.READER, "trending content now"),
            new Route(
                    HandlerType.GET,
                    "/v1/trending/labels",
                    Access.READER,
                    "trending hashtags, sounds or categories now"),
            new Route(HandlerType.GET, "/v1/top-performing", Access.READER, "top content by quality score"),
            new Route(HandlerType.GET, "/v1/users/{userId}/watch-history", Access.ADMIN, "a user's watch history"),
            new Route(HandlerType.GET, "/v1/sessions", Access.ADMIN, "session analytics of a day"),
            new Route(HandlerType.GET, "/v1/admin/stats", Access.ADMIN, "platform totals and pipeline health"),
            new Route(
                    HandlerType.GET,
                    "/v1/admin/live",
                    Access.ADMIN,
                    "accepted events and dead letters per minute over the last minutes, and the pipeline's lag"),
            new Route(
                    HandlerType.GET,
                    "/v1/experiments/{experiment}",
                    Access.ADMIN,
                    "an experiment's variants: per-user means, differences with always-valid intervals, sample-ratio check"),
            new Route(
                    HandlerType.PUT,
                    "/v1/catalog/{contentId}",
                    Access.CATALOG,
                    "publish a content's catalogue entry (owner, duration, labels)"),
            new Route(
                    HandlerType.DELETE,
                    "/v1/catalog/{contentId}",
                    Access.CATALOG,
                    "delete a content from the catalogue"));

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> SORTS = Set.of("recent", "views", "engagement", "quality");
    private static final Set<String> GRAINS = Set.of("hour", "day", "week");
    /** What {@code /v1/trending/labels} groups contents by: the content catalogue's labels. */
    private static final Set<String> LABEL_KINDS = Set.of("hashtag", "sound", "category");

    private final ServiceConfig config;
    private final TrackingApi tracking;
    private final UserTokens userTokens;
    private final AnalyticsApi analytics;
    private final EventPublisher publisher;
    private final RateLimiter events;
    private final RateLimiter batches;
    private final RateLimiter reads;
    /** All tracking requests of one tracking key, whatever address they come from. */
    private final RateLimiter trackingKeys;
    /** Requests without a valid key, per address. */
    private final RateLimiter authFailures;

    private final byte[] openApi;
    private final CatalogEntryReader catalogueReader;
    /** Analytics requests in progress and waiting: bounded, so reads waiting on ClickHouse cannot hold every request thread. */
    private final AnalyticsAdmission analyticsAdmission;

    private final ServiceMetrics metrics;
    private final ClickHouseHttp clickhouse;
    private Javalin app;
    /** Delivers creator alerts to webhooks; null without {@code service.alert-webhooks-file}. */
    private AlertDelivery alertDelivery;

    /** The service over the given publisher and ClickHouse (tests hand in their own). */
    public EngagementService(ServiceConfig config, EventPublisher publisher, ClickHouseHttp clickhouse) {
        this.config = config;
        this.publisher = publisher;
        this.clickhouse = clickhouse;
        this.tracking = new TrackingApi(
                new EventValidator(config.validationRules),
                publisher,
                System::currentTimeMillis,
                config.userTokenKey != null);
        this.userTokens =
                config.userTokenKey == null ? null : new UserTokens(config.userTokenKey, java.time.Clock.systemUTC());
        this.analytics = new AnalyticsApi(
                clickhouse, config.clickhouseDatabase, config.analyticsMaxResultRows, config.analyticsCacheTtl);
        this.events = new RateLimiter(config.eventsPerMinute, config.rateLimitClients, System::nanoTime);
        this.batches = new RateLimiter(config.batchesPerMinute, config.rateLimitClients, System::nanoTime);
        this.reads = new RateLimiter(config.analyticsPerMinute, config.rateLimitClients, System::nanoTime);
        this.trackingKeys =
                new RateLimiter(config.trackingKeyRequestsPerMinute, config.rateLimitClients, System::nanoTime);
        this.authFailures = new RateLimiter(config.authFailuresPerMinute, config.rateLimitClients, System::nanoTime);
        this.metrics = new ServiceMetrics(publisher::pendingEvents, analytics::cacheHitsAndMisses);
        this.catalogueReader = new CatalogEntryReader(config.validationRules);
        this.analyticsAdmission = new AnalyticsAdmission(
                config.analyticsMaxConcurrent, config.analyticsMaxWaiting, config.analyticsMaxWait);
        try (InputStream in = EngagementService.class.getResourceAsStream("/service/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("service/openapi.json is not on the classpath", e);
        }
    }

    public static void main(String[] args) {
        // The service jar's own logging configuration (console, INFO), unless one is given.
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:service/log4j2.properties");
        }
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(ServiceConfig.usage());
            return;
        }
        ServiceConfig config;
        try {
            config = ServiceConfig.from(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("engagement-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        EngagementService service = new EngagementService(
                config,
                EventPublisher.forConfig(config),
                new ClickHouseHttp(
                        config.clickhouseUrl,
                        config.clickhouseUser,
                        config.clickhousePassword,
                        config.clickhouseCaFile));
        service.start();
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "service-shutdown"));
        System.out.println("engagement-service: dashboard at " + (config.tlsKeystore != null ? "https" : "http") + "://"
                + config.host + ":" + service.port() + "/dashboard/");
    }

    public EngagementService start() {
        app = Javalin.create(this::configure).start(config.host, config.port);
        if (config.alertWebhooks != null) {
            alertDelivery = new AlertDelivery(config, config.alertWebhooks, clickhouse).start();
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    private void configure(JavalinConfig c) {
        c.staticFiles.enableWebjars();
        c.staticFiles.add(s -> {
            s.hostedPath = "/dashboard";
            s.directory = "/dashboard";
            s.location = Location.CLASSPATH;
        });
        c.http.maxRequestSize = 1_000_000L;
        if (config.tlsKeystore != null) {
            // HTTPS only: the TLS connector takes the place of Javalin's plain one.
            c.jetty.addConnector((server, http) -> ServiceTls.connector(
                    server, http, config.host, config.port, config.tlsKeystore, config.tlsKeystorePassword));
        }
        for (Route route : ROUTES) {
            Handler handler = guarded(route, handlerOf(route));
            if (route.method() == HandlerType.GET) {
                c.routes.get(route.path(), handler);
            } else if (route.method() == HandlerType.PUT) {
                c.routes.put(route.path(), handler);
            } else if (route.method() == HandlerType.DELETE) {
                c.routes.delete(route.path(), handler);
            } else {
                c.routes.post(route.path(), handler);
            }
        }
        c.routes.before(EngagementService::securityHeaders);
        c.routes.after(this::recordRequest);
        c.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        c.routes.exception(UserTokens.Invalid.class, (e, ctx) -> error(ctx, 401, e.getMessage()));
        c.routes.exception(IOException.class, (e, ctx) -> {
            String tooLarge = tooLarge(e);
            if (tooLarge != null) {
                error(ctx, 400, tooLarge);
                return;
            }
            // The server's message names SQL, tables and its version: logged here, never answered.
            String reference = Long.toHexString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
            LOG.warn(
                    "analytics request {} {} failed (reference {}): {}",
                    ctx.method(),
                    ctx.path(),
                    reference,
                    ClickHouseHttp.oneLine(e));
            error(
                    ctx,
                    502,
                    "the analytics store did not answer; retry later (reference " + reference + " in the service log)");
        });
    }

    /**
     * What to tell a caller whose query ClickHouse stopped at one of the limits the service sets
     * ({@link AnalyticsApi}): the request was too large, not the service broken. Null for other failures.
     */
    static String tooLarge(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Code: 396") || message.contains("Code: 158")) {
            return "the answer has more rows than this service returns; ask for fewer (limit) or a shorter period";
        }
        if (message.contains("Code: 159")) {
            return "the query took longer than " + AnalyticsApi.MAX_EXECUTION_SECONDS
                    + " s and was stopped; ask for a shorter period";
        }
        if (message.contains("Code: 241")) {
            return "the query needed more memory than a request may use; ask for a shorter period";
        }
        return null;
    }

    /**
     * On every answer, errors included: no MIME sniffing, no framing (clickjacking), no referrer to other
     * sites, and a content policy that lets the dashboard load its own scripts only (ECharts from the
     * service's webjars). Inline styles stay allowed: the charts set them on their tooltips.
     */
    static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
                    + " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private Handler handlerOf(Route route) {
        if (route.access() == Access.CATALOG) {
            return route.method() == HandlerType.PUT ? this::putCatalogueEntry : this::deleteCatalogueEntry;
        }
        return switch (route.path()) {
            case "/health" -> ctx -> ctx.result("ok");
            case "/openapi.json" -> ctx -> ctx.contentType("application/json").result(openApi);
            case "/metrics" ->
                ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.prometheusText()
                                + (alertDelivery == null ? "" : alertDelivery.prometheusText()));
            case "/v1/events" -> this::trackOne;
            case "/v1/events/batch" -> this::trackBatch;
            case "/v1/me" ->
                ctx -> {
                    Caller caller = ctx.attribute("caller");
                    Map<String, Object> me = new LinkedHashMap<>();
                    me.put("key", caller.keyName());
                    me.put("role", caller.role().name().toLowerCase(Locale.ROOT));
                    me.put("creator_id", caller.creatorId());
                    ctx.json(me);
                };
            case "/v1/content/{contentId}/metrics" ->
                ctx -> stream(
                        ctx,
                        "content_analytics",
                        values(ctx, Map.of("content_id", ctx.pathParam("contentId")), "from", "to"));
            case "/v1/content/{contentId}/countries" ->
                ctx -> stream(
                        ctx,
                        "top_countries",
                        values(ctx, Map.of("content_id", ctx.pathParam("contentId")), "from", "to", "limit"));
            case "/v1/content/{contentId}/typical" ->
                ctx -> stream(
                        ctx,
                        "content_typical",
                        values(ctx, Map.of("content_id", ctx.pathParam("contentId")), "age_hours", "recent_days"));
            case "/v1/content/{contentId}/retention" ->
                ctx -> stream(
                        ctx,
                        "content_retention",
                        values(ctx, Map.of("content_id", ctx.pathParam("contentId")), "from", "to"));
            case "/v1/content/{contentId}/reach" ->
                ctx -> stream(
                        ctx,
                        "reach_funnel",
                        values(ctx, Map.of("content_id", ctx.pathParam("contentId"), "creator_id", ""), "from", "to"));
            case "/v1/creators/{creatorId}/analytics" ->
                ctx -> stream(ctx, "creator_dashboard", values(ctx, creator(ctx), "from", "to", "top"));
            case "/v1/creators/{creatorId}/comparison" -> this::comparison;
            case "/v1/creators/{creatorId}/timeline" ->
                ctx -> {
                    String grain = ctx.queryParam("grain");
                    if (grain != null && !GRAINS.contains(grain)) {
                        throw new IllegalArgumentException("grain must be one of hour, day, week, not '" + grain + "'");
                    }
                    stream(ctx, "creator_periods", values(ctx, creator(ctx), "grain", "from", "to"));
                };
            case "/v1/creators/{creatorId}/content" -> this::creatorContent;
            case "/v1/creators/{creatorId}/countries" ->
                ctx -> stream(ctx, "creator_countries", values(ctx, creator(ctx), "from", "to", "limit"));
            case "/v1/creators/{creatorId}/breakdowns" ->
                ctx -> stream(ctx, "creator_breakdowns", values(ctx, creator(ctx), "from", "to"));
            case "/v1/creators/{creatorId}/realtime" ->
                ctx -> stream(ctx, "creator_realtime", lastMinutes(values(ctx, creator(ctx), "minutes")));
            case "/v1/creators/{creatorId}/reach" ->
                ctx -> {
                    Map<String, String> scope = new LinkedHashMap<>(creator(ctx));
                    scope.put("content_id", ""); // every content of the creator
                    stream(ctx, "reach_funnel", values(ctx, scope, "from", "to"));
                };
            case "/v1/creators/{creatorId}/alerts" ->
                ctx -> stream(ctx, "creator_alerts", values(ctx, creator(ctx), "from", "to", "limit"));
            case "/v1/trending" -> ctx -> stream(ctx, "trending_now", values(ctx, Map.of(), "limit", "only_trending"));
            case "/v1/trending/labels" ->
                ctx -> {
                    Map<String, String> params = values(ctx, Map.of(), "kind", "limit");
                    String kind = params.getOrDefault("kind", "hashtag");
                    if (!LABEL_KINDS.contains(kind)) {
                        throw new IllegalArgumentException(
                                "kind must be one of hashtag, sound, category, not '" + kind + "'");
                    }
                    stream(ctx, "trending_labels", params);
                };
            case "/v1/top-performing" ->
                ctx -> stream(ctx, "top_performing", values(ctx, Map.of(), "from", "to", "min_views", "limit"));
            case "/v1/users/{userId}/watch-history" ->
                ctx -> stream(
                        ctx,
                        "user_watch_history",
                        values(ctx, Map.of("user_id", ctx.pathParam("userId")), "since", "limit"));
            case "/v1/sessions" ->
                ctx -> stream(ctx, "session_analytics", values(ctx, Map.of(), "day", "user_id", "limit"));
            case "/v1/admin/stats" ->
                ctx -> {
                    Map<String, String> range = values(ctx, Map.of(), "from", "to");
                    Map<String, Object> merged = new LinkedHashMap<>();
                    analytics.rows("aggregated_metrics_by_period", range).forEach(merged::putAll);
                    analytics.rows("platform_health", range).forEach(merged::putAll);
                    answer(ctx, List.of(merged));
                };
            case "/v1/admin/live" -> ctx -> stream(ctx, "platform_live", lastMinutes(values(ctx, Map.of(), "minutes")));
            case "/v1/experiments/{experiment}" ->
                ctx -> {
                    String experiment = ctx.pathParam("experiment");
                    Map<String, String> range = values(
                            ctx, Map.of("experiment", experiment), Set.of("control", "split", "alpha"), "from", "to");
                    double alpha = alpha(ctx.queryParam("alpha"));
                    double[] split = ExperimentReport.split(ctx.queryParam("split"));
                    answer(
                            ctx,
                            ExperimentReport.of(
                                    experiment,
                                    analytics.rows("experiment_summary", range),
                                    ctx.queryParam("control"),
                                    split,
                                    alpha));
                };
            default -> throw new IllegalStateException("no handler for " + route.path());
        };
    }

    /** The experiment route's {@code alpha}: 0.001 to 0.5, 0.05 when not given. */
    private static double alpha(String text) {
        if (text == null) {
            return 0.05;
        }
        double alpha;
        try {
            alpha = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            alpha = Double.NaN;
        }
        if (!(alpha >= 0.001 && alpha <= 0.5)) {
            throw new IllegalArgumentException("alpha must be a number from 0.001 to 0.5, not '" + text + "'");
        }
        return alpha;
    }

    /** The {@code minutes} of a live route: 1 to 1440 (a day by minute), 60 when not given. */
    private static Map<String, String> lastMinutes(Map<String, String> params) {
        String minutes = params.getOrDefault("minutes", "60");
        if (!minutes.matches("\\d{1,4}") || Integer.parseInt(minutes) < 1 || Integer.parseInt(minutes) > 1440) {
            throw new IllegalArgumentException("minutes must be a whole number from 1 to 1440, not '" + minutes + "'");
        }
        return params;
    }

    // --- the content catalogue ---

    /**
     * Checks the entry as the job will read it ({@link CatalogEntryReader}: the same rules, the same
     * wording) and publishes it to the catalogue topic keyed by the content id, so the job never sees
     * an entry the service accepted and then refuses it.
     */
    private void putCatalogueEntry(Context ctx) throws Exception {
        String contentId = ctx.pathParam("contentId");
        byte[] body = ctx.bodyAsBytes();
        CatalogRecord checked = catalogueReader.read(contentId.getBytes(StandardCharsets.UTF_8), body, "request", 0, 0);
        if (checked.rejected != null || body.length == 0) {
            error(
                    ctx,
                    400,
                    checked.rejected != null ? checked.rejected.detail : "the body is the catalogue entry (JSON)");
            return;
        }
        publishCatalogue(ctx, contentId, body);
    }

    private void deleteCatalogueEntry(Context ctx) throws Exception {
        publishCatalogue(ctx, ctx.pathParam("contentId"), null);
    }

    private void publishCatalogue(Context ctx, String contentId, byte[] entry) throws Exception {
        if (config.catalogTopic == null) {
            error(ctx, 503, "this service does not write the content catalogue: kafka.catalog-topic is empty");
            return;
        }
        try {
            publisher.publishCatalogueEntry(config.catalogTopic, contentId, entry, System.currentTimeMillis());
        } catch (EventPublisher.Unavailable e) {
            error(ctx, 503, e.getMessage());
            return;
        }
        ctx.json(Map.of("content_id", contentId, "status", entry == null ? "deleted" : "published"));
    }

    // --- access ---

    /** Marks the request for {@link #recordRequest} (an after-handler: it sees the status exception handlers set). */
    private Handler guarded(Route route, Handler handler) {
        Handler checked = checked(route, handler);
        return ctx -> {
            ctx.attribute("metrics.route", route.method().name() + " " + route.path());
            ctx.attribute("metrics.start", System.nanoTime());
            checked.handle(ctx);
        };
    }

    private void recordRequest(Context ctx) {
        String route = ctx.attribute("metrics.route");
        Long start = ctx.attribute("metrics.start");
        if (route != null && start != null) {
            metrics.request(route, ctx.status().getCode(), System.nanoTime() - start);
        }
        Caller caller = ctx.attribute("caller");
        if (route != null && caller != null && caller.role() != Role.TRACKING && !route.endsWith(" /metrics")) {
            ACCESS_LOG.info(accessLine(
                    caller,
                    route,
                    ctx.pathParamMap().get("creatorId"),
                    ctx.status().getCode(),
                    ctx.attribute("access.rows")));
        }
    }

    /** The access log of analytics reads (logger {@code engagement.access}): who read which route of which creator, and how much. */
    private static final org.slf4j.Logger ACCESS_LOG = org.slf4j.LoggerFactory.getLogger("engagement.access");

    /**
     * One access-log line: the key's name and role, the route as declared (its template, so a user id
     * in a path such as a watch history never reaches the log), the creator read, the status and the
     * rows answered. No user ids, no addresses, no query values.
     */
    static String accessLine(Caller caller, String route, String creatorInPath, int status, Integer rows) {
        String creator = creatorInPath != null ? creatorInPath : caller.creatorId();
        return "analytics read key=" + caller.keyName() + " role="
                + caller.role().name().toLowerCase(Locale.ROOT)
                + " route=\"" + route + "\" creator=" + (creator == null ? "-" : creator) + " status=" + status
                + " rows=" + (rows == null ? "-" : rows);
    }

    /**
     * Authentication, then the rate limits, then the route's access rule (which may look up who owns a
     * content in ClickHouse): a client over its limit costs no lookup. Limits are keyed by what the
     * service knows, never by what a client chooses: the key, and for tracking keys (shared by every
     * install of an app) the key with the client's address; requests without a valid key are limited
     * per address.
     */
    private Handler checked(Route route, Handler handler) {
        return ctx -> {
            if (route.access() == Access.PUBLIC) {
                handler.handle(ctx);
                return;
            }
            String address = clientAddress(ctx);
            Caller caller = authenticate(ctx);
            if (caller == null) {
                if (limited(ctx, authFailures, address)) {
                    return;
                }
                ctx.header("WWW-Authenticate", "Bearer");
                error(ctx, 401, "an API key is required: Authorization: Bearer <key>");
                return;
            }
            ctx.attribute("caller", caller);
            RateLimiter limiter = route.path().equals("/v1/events")
                    ? events
                    : route.path().equals("/v1/events/batch") ? batches : reads;
            String client = caller.role() == Role.TRACKING ? caller.keyName() + "|" + address : caller.keyName();
            if (limited(ctx, limiter, client)
                    || (caller.role() == Role.TRACKING && limited(ctx, trackingKeys, caller.keyName()))) {
                return;
            }
            // Analytics reads (and the ownership lookup some of them need) take a permit; tracking,
            // the catalogue and /metrics never wait behind them.
            boolean analytics = route.access() != Access.TRACKING
                    && route.access() != Access.METRICS
                    && route.access() != Access.CATALOG;
            if (analytics && !analyticsAdmission.enter()) {
                ctx.header("Retry-After", "1");
                error(
                        ctx,
                        503,
                        "too many analytics requests in progress (service.analytics.max-concurrent = "
                                + config.analyticsMaxConcurrent + ", service.analytics.max-waiting = "
                                + config.analyticsMaxWaiting + ", service.analytics.max-wait = "
                                + config.analyticsMaxWait.toMillis() + " ms); retry in a second");
                return;
            }
            try {
                Refusal refusal = refusal(route.access(), caller, ctx);
                if (refusal != null) {
                    error(ctx, refusal.status(), refusal.message());
                    return;
                }
                handler.handle(ctx);
            } finally {
                if (analytics) {
                    analyticsAdmission.leave();
                }
            }
        };
    }

    /** Takes a token of {@code client}'s bucket, or answers 429 with Retry-After and returns true. */
    private static boolean limited(Context ctx, RateLimiter limiter, String client) {
        long wait = limiter.acquire(client);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            error(ctx, 429, "rate limit of this route exceeded; retry in " + wait + " s");
            return true;
        }
        return false;
    }

    /**
     * The client's address: the peer, or, when the peer is one of {@code service.trusted-proxies}, the
     * nearest address in {@code X-Forwarded-For} that is not a trusted proxy (the entries before it are
     * the client's to write, so they are not believed).
     */
    String clientAddress(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        if (!config.trustedProxies.contains(peer)) {
            return peer;
        }
        String forwarded = ctx.header("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !config.trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private Caller authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        String key = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip()
                : ctx.header("X-Api-Key");
        return config.apiKeys.find(key).orElse(null);
    }

    /** Why a caller may not call a route, with the status that says so. */
    private record Refusal(int status, String message) {
        static Refusal forbidden(String message) {
            return new Refusal(403, message);
        }
    }

    private static final Refusal TRACKING_ONLY_WRITES = Refusal.forbidden("a tracking key may only send events");

    private static final Refusal METRICS_ONLY = Refusal.forbidden("a metrics key may only read /metrics");

    private static final Refusal CATALOG_ONLY = Refusal.forbidden("a catalog key may only write the content catalogue");

    private Refusal refusal(Access access, Caller caller, Context ctx) throws IOException {
        if (caller.role() == Role.METRICS && access != Access.METRICS) {
            return METRICS_ONLY;
        }
        if (caller.role() == Role.CATALOG && access != Access.CATALOG) {
            return CATALOG_ONLY;
        }
        return switch (access) {
            case CATALOG ->
                caller.role() == Role.CATALOG
                        ? null
                        : Refusal.forbidden("only a catalog key writes the content catalogue");
            case PUBLIC -> null;
            case METRICS ->
                caller.role() == Role.METRICS || caller.role() == Role.ADMIN
                        ? null
                        : Refusal.forbidden("this route is for metrics and admin keys");
            case TRACKING ->
                caller.role() == Role.TRACKING ? null : Refusal.forbidden("only a tracking key may send events");
            case READER -> caller.role() == Role.TRACKING ? TRACKING_ONLY_WRITES : null;
            case ADMIN -> caller.role() == Role.ADMIN ? null : Refusal.forbidden("this route is for admin keys");
            case CREATOR_OF_PATH ->
                caller.mayRead(ctx.pathParam("creatorId"))
                        ? null
                        : caller.role() == Role.TRACKING
                                ? TRACKING_ONLY_WRITES
                                : Refusal.forbidden("a creator key reads only its own creator id");
            case OWNER_OF_CONTENT -> {
                if (caller.role() == Role.ADMIN) {
                    yield null;
                }
                if (caller.role() == Role.TRACKING) {
                    yield TRACKING_ONLY_WRITES;
                }
                // Another creator's content is answered as unknown, so its existence does not leak.
                String contentId = ctx.pathParam("contentId");
                yield caller.creatorId().equals(analytics.creatorOf(contentId))
                        ? null
                        : new Refusal(404, "no content " + contentId + " of creator " + caller.creatorId());
            }
        };
    }

    // --- handlers ---

    /**
     * The user id the request's {@value UserTokens#HEADER} proves, null without one (or when tokens are
     * not used); a token that does not verify throws, answered 401 by the exception handler.
     */
    private String verifiedUser(Context ctx) throws UserTokens.Invalid {
        String token = ctx.header(UserTokens.HEADER);
        return userTokens == null || token == null || token.isBlank() ? null : userTokens.userId(token);
    }

    private void trackOne(Context ctx) throws Exception {
        String user = verifiedUser(ctx);
        try {
            TrackingApi.Outcome outcome = tracking.trackOne(ctx.bodyAsBytes(), user);
            count(List.of(outcome));
            ctx.status(outcome.accepted() ? 202 : 400).json(outcomeJson(outcome));
        } catch (EventPublisher.Unavailable e) {
            unavailable(ctx, e);
        }
    }

    private void trackBatch(Context ctx) throws Exception {
        String user = verifiedUser(ctx);
        try {
            List<TrackingApi.Outcome> outcomes = tracking.trackBatch(ctx.bodyAsBytes(), user);
            count(outcomes);
            long accepted =
                    outcomes.stream().filter(TrackingApi.Outcome::accepted).count();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("accepted", accepted);
            body.put("rejected", outcomes.size() - accepted);
            body.put(
                    "results",
                    outcomes.stream().map(EngagementService::outcomeJson).toList());
            ctx.status(200).json(body);
        } catch (TrackingApi.BadRequest e) {
            error(ctx, 400, e.getMessage());
        } catch (EventPublisher.Unavailable e) {
            unavailable(ctx, e);
        }
    }

    private static Map<String, Object> outcomeJson(TrackingApi.Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", o.index());
        m.put("accepted", o.accepted());
        if (o.accepted()) {
            m.put("event_id", o.eventId());
        } else {
            m.put("reason", o.reason());
            m.put("detail", o.detail());
        }
        return m;
    }

    private void count(List<TrackingApi.Outcome> outcomes) {
        long accepted = 0;
        for (TrackingApi.Outcome o : outcomes) {
            if (o.accepted()) {
                accepted++;
            } else {
                metrics.rejected(o.reason());
            }
        }
        metrics.accepted(accepted);
    }

    private void unavailable(Context ctx, EventPublisher.Unavailable e) {
        metrics.unavailable();
        // Nothing was acknowledged: the client keeps the events and sends them again (same event ids).
        ctx.header("Retry-After", "5");
        error(ctx, 503, "events not accepted, send them again: " + e.getMessage());
    }

    private void creatorContent(Context ctx) throws IOException {
        String sort = ctx.queryParam("sort") == null ? "recent" : ctx.queryParam("sort");
        if (!SORTS.contains(sort)) {
            throw new IllegalArgumentException(
                    "sort must be one of recent, views, engagement, quality, not '" + sort + "'");
        }
        int page = positive(ctx, "page", 1, 1_000_000);
        int pageSize = positive(ctx, "page_size", 20, 100);
        Map<String, String> fixed = new LinkedHashMap<>(creator(ctx));
        fixed.put("sort", sort);
        fixed.put("offset", Long.toString((long) (page - 1) * pageSize));
        fixed.put("limit", Integer.toString(pageSize));
        stream(ctx, "creator_content", values(ctx, fixed, Set.of("sort", "page", "page_size"), "from", "to"));
    }

    /** The creator's totals over [from, to) and over the period of the same length just before. */
    private void comparison(Context ctx) throws IOException {
        values(ctx, Map.of(), "from", "to"); // refuses unknown parameters
        LocalDateTime from = dateTime(ctx, "from");
        LocalDateTime to = dateTime(ctx, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to must be after from");
        }
        LocalDateTime previousFrom = from.minus(java.time.Duration.between(from, to));
        Map<String, Object> current = single(analytics.rows(
                "creator_dashboard",
                Map.of(
                        "creator_id",
                        ctx.pathParam("creatorId"),
                        "from",
                        from.format(DATE_TIME),
                        "to",
                        to.format(DATE_TIME))));
        Map<String, Object> previous = single(analytics.rows(
                "creator_dashboard",
                Map.of(
                        "creator_id",
                        ctx.pathParam("creatorId"),
                        "from",
                        previousFrom.format(DATE_TIME),
                        "to",
                        from.format(DATE_TIME))));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String metric : List.of(
                "views",
                "unique_viewers",
                "watch_s",
                "completion_pct",
                "saves",
                "shares",
                "clicks",
                "engagement_pct",
                "action_pct")) {
            double now = number(current.get(metric));
            double before = number(previous.get(metric));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("metric", metric);
            row.put("current", now);
            row.put("previous", before);
            row.put("change_pct", before == 0 ? null : Math.round(1000 * (now - before) / before) / 10.0);
            rows.add(row);
        }
        answer(ctx, rows);
    }

    private static Map<String, Object> single(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : value == null ? 0 : Double.parseDouble(value.toString());
    }

    // --- request values and answers ---

    private static Map<String, String> creator(Context ctx) {
        return Map.of("creator_id", ctx.pathParam("creatorId"));
    }

    /** The fixed values plus those of the allowed query parameters present; any other parameter is refused. */
    private static Map<String, String> values(Context ctx, Map<String, String> fixed, String... allowed) {
        return values(ctx, fixed, Set.of(), allowed);
    }

    private static Map<String, String> values(
            Context ctx, Map<String, String> fixed, Set<String> readByTheHandler, String... allowed) {
        Map<String, String> values = new LinkedHashMap<>(fixed);
        List<String> names = List.of(allowed);
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            if (p.getKey().equals("format") || readByTheHandler.contains(p.getKey())) {
                continue;
            }
            if (!names.contains(p.getKey())) {
                throw new IllegalArgumentException("unknown parameter '" + p.getKey() + "'"
                        + (names.isEmpty() ? "" : " (this route takes " + String.join(", ", names) + ")"));
            }
            values.put(p.getKey(), p.getValue().get(0));
        }
        return values;
    }

    private static int positive(Context ctx, String name, int fallback, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 1 to " + max + ", not '" + text + "'");
    }

    private static LocalDateTime dateTime(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            throw new IllegalArgumentException(name + " is required (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, UTC)");
        }
        try {
            return text.length() == 10
                    ? LocalDate.parse(text).atStartOfDay()
                    : LocalDateTime.parse(text.replace('T', ' '), DATE_TIME);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, not '" + text + "'");
        }
    }

    /**
     * Runs an analyst query for the request and streams its rows to the client as ClickHouse sends
     * them (JSON {@code {"data": [...], "rows": n}} or CSV), never holding the answer whole. Nothing is
     * written before ClickHouse has answered, so a refused or failed query is still a clean error
     * status; a client that disconnects meanwhile has its query killed ({@link ClientConnection}).
     */
    private void stream(Context ctx, String query, Map<String, String> values) throws IOException {
        String format = format(ctx);
        StreamedAnswer answer =
                format.equals("csv") ? new StreamedAnswer.Csv(ctx, exportName(ctx)) : new StreamedAnswer.Json(ctx);
        long rows = analytics.stream(query, values, ClientConnection.of(ctx), answer::row);
        answer.finish(rows);
        ctx.attribute("access.rows", (int) rows);
    }

    private static String format(Context ctx) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!format.equals("json") && !format.equals("csv")) {
            throw new IllegalArgumentException("format must be json or csv, not '" + format + "'");
        }
        return format;
    }

    private static String exportName(Context ctx) {
        return ctx.endpoint()
                .path
                .replaceAll("[{}]", "")
                .replaceAll("[^\\w]+", "-")
                .replaceAll("^-|-$", "");
    }

    private static void answer(Context ctx, List<Map<String, Object>> rows) {
        ctx.attribute("access.rows", rows.size());
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> ctx.json(Map.of("data", rows, "rows", rows.size()));
            case "csv" -> {
                String name = ctx.endpoint()
                        .path
                        .replaceAll("[{}]", "")
                        .replaceAll("[^\\w]+", "-")
                        .replaceAll("^-|-$", "");
                ctx.contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"")
                        .result(AnalyticsApi.csv(rows).getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new IllegalArgumentException("format must be json or csv, not '" + format + "'");
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? "error" : message));
    }

    @Override
    public void close() {
        if (alertDelivery != null) {
            alertDelivery.close();
        }
        if (app != null) {
            app.stop();
        }
        publisher.close();
    }
}
