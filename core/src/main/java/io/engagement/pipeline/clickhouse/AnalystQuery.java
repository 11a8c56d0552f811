package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query file of sql/queries/: SQL with {@code {{name}}} placeholders, each declared in a header
 * comment with its type and default ({@code -- param creator_id String: 'creator-1'}). The default is
 * an SQL expression written by the query's author ({@code today()}, {@code now() - 7 * 86400}).
 *
 * <p>A value given by a user ({@link #bind}) is a plain value of the declared type, never SQL: it is
 * checked against the type and sent as a ClickHouse query parameter ({@code {name:Type}} with
 * {@code param_name}) on servers that have them, else written as a quoted, escaped literal
 * (ClickHouse 18.16 has no query parameters). Integers are always written as checked digits:
 * ClickHouse takes no parameters where they are used ({@code LIMIT}, {@code groupArray(n)}).
 */
public final class AnalystQuery {

    /** The parameter types a query file may declare. */
    public enum Type {
        String,
        Date,
        DateTime,
        UInt8,
        UInt32
    }

    private static final Pattern PARAM =
            Pattern.compile("^--\\s*param\\s+(\\w+)\\s+(\\w+)\\s*:\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern UNTYPED_PARAM = Pattern.compile("^--\\s*param\\s+(\\w+)\\s*:", Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:[ T](\\d{2}:\\d{2}:\\d{2}))?Z?");

    /** A declared parameter. */
    public record Param(String name, Type type, String defaultSql) {}

    /** SQL ready to send, with the query parameters to send beside it (empty on servers without them). */
    public record Bound(String sql, Map<String, String> queryParameters) {}

    private final String sql;
    private final Map<String, Param> params = new LinkedHashMap<>();

    public AnalystQuery(String sql) {
        this.sql = sql;
        Matcher untyped = UNTYPED_PARAM.matcher(sql);
        if (untyped.find()) {
            throw new IllegalArgumentException("parameter '" + untyped.group(1) + "' declares no type ("
                    + "-- param name Type: default, Type one of " + java.util.Arrays.toString(Type.values()) + ")");
        }
        Matcher m = PARAM.matcher(sql);
        while (m.find()) {
            Type type;
            try {
                type = Type.valueOf(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + m.group(1) + "' has unknown type " + m.group(2)
                        + "; one of " + java.util.Arrays.toString(Type.values()));
            }
            params.put(m.group(1), new Param(m.group(1), type, m.group(3)));
        }
    }

    public static AnalystQuery load(Path file) throws IOException {
        return new AnalystQuery(Files.readString(file));
    }

    public Map<String, Param> params() {
        return params;
    }

    /** The default SQL expression of every parameter. */
    public Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        params.forEach((name, p) -> defaults.put(name, p.defaultSql()));
        return defaults;
    }

    /**
     * The SQL with each placeholder replaced by an SQL expression: {@code overrides} (trusted SQL, for
     * the project's own tests and tools) or the default.
     */
    public String render(Map<String, String> overrides) {
        checkNames(overrides);
        return replace(name -> overrides.getOrDefault(name, params.get(name).defaultSql()));
    }

    /**
     * The SQL for a user's values (plain values of each parameter's type). With
     * {@code serverParameters} the values travel as ClickHouse query parameters; without, as checked
     * and escaped literals. Throws {@link IllegalArgumentException} with a one-line reason for an
     * unknown name or a value that is not of its type.
     */
    public Bound bind(Map<String, String> values, boolean serverParameters) {
        checkNames(values);
        Map<String, String> queryParameters = new LinkedHashMap<>();
        String bound = replace(name -> {
            Param p = params.get(name);
            String value = values.get(name);
            if (value == null) {
                return p.defaultSql();
            }
            String checked = checked(p, value);
            boolean integer = p.type() == Type.UInt8 || p.type() == Type.UInt32;
            if (serverParameters && !integer) {
                queryParameters.put("param_" + name, checked);
                return "{" + name + ":" + p.type() + "}";
            }
            return literal(p.type(), checked);
        });
        return new Bound(bound, queryParameters);
    }

    /**
     * The instant a Date or DateTime value names (UTC), in the forms {@link #checked} accepts; null for
     * a value it would refuse (the binding then names the problem).
     */
    public static java.time.Instant instantOf(String value) {
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches()) {
            return null;
        }
        return java.time.LocalDateTime.parse(m.group(1) + "T" + (m.group(2) == null ? "00:00:00" : m.group(2)))
                .toInstant(java.time.ZoneOffset.UTC);
    }

    /** The value in the form ClickHouse parses for its type; throws naming the parameter otherwise. */
    static String checked(Param p, String value) {
        switch (p.type()) {
            case String:
                return value;
            case Date:
                if (!DATE.matcher(value).matches()) {
                    throw invalid(p, value, "a date such as 2026-03-02");
                }
                return value;
            case DateTime:
                Matcher m = DATE_TIME.matcher(value);
                if (!m.matches()) {
                    throw invalid(p, value, "a time such as 2026-03-02 08:00:00 (UTC) or a date");
                }
                return m.group(1) + " " + (m.group(2) == null ? "00:00:00" : m.group(2));
            default:
                long max = p.type() == Type.UInt8 ? 255 : 4_294_967_295L;
                if (!value.matches("\\d{1,10}") || Long.parseLong(value) > max) {
                    throw invalid(p, value, "a whole number from 0 to " + max);
                }
                return value;
        }
    }

    /** A literal of the type; the string escapes are those of ClickHouse's quoted strings. */
    public static String literal(Type type, String checkedValue) {
        return switch (type) {
            case String -> "'" + checkedValue.replace("\\", "\\\\").replace("'", "\\'") + "'";
            case Date -> "toDate('" + checkedValue + "')";
            case DateTime -> "toDateTime('" + checkedValue + "')";
            default -> checkedValue;
        };
    }

    private static IllegalArgumentException invalid(Param p, String value, String expected) {
        return new IllegalArgumentException(
                "parameter " + p.name() + " (" + p.type() + ") must be " + expected + ", not '" + value + "'");
    }

    private void checkNames(Map<String, String> given) {
        for (String name : given.keySet()) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown parameter '" + name + "'; this query takes " + params.keySet());
            }
        }
    }

    private String replace(Function<String, String> valueOf) {
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException(
                        "placeholder {{" + name + "}} has no '-- param " + name + " Type: default' line");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(valueOf.apply(name)));
        }
        m.appendTail(out);
        return out.toString().trim();
    }
}
