package io.engagement.pipeline.clickhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query file of sql/queries/: SQL with {@code {{name}}} placeholders whose defaults are declared in
 * header comments ({@code -- param name: default}). Values are SQL expressions (e.g. {@code today()},
 * {@code toDate('2026-03-02')}, {@code 'creator-7'}): ClickHouse 18.16 has no server-side query
 * parameters, and these files are run by analysts against their own warehouse, not exposed to users.
 */
public final class AnalystQuery {

    private static final Pattern PARAM = Pattern.compile("^--\\s*param\\s+(\\w+)\\s*:\\s*(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private final String sql;
    private final Map<String, String> defaults = new LinkedHashMap<>();

    public AnalystQuery(String sql) {
        this.sql = sql;
        Matcher m = PARAM.matcher(sql);
        while (m.find()) {
            defaults.put(m.group(1), m.group(2));
        }
    }

    public static AnalystQuery load(Path file) throws IOException {
        return new AnalystQuery(Files.readString(file));
    }

    public Map<String, String> defaults() {
        return defaults;
    }

    /** The SQL with every placeholder replaced by its override or default; fails on an unknown name. */
    public String render(Map<String, String> overrides) {
        for (String name : overrides.keySet()) {
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "'; this query takes " + defaults.keySet());
            }
        }
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = overrides.getOrDefault(name, defaults.get(name));
            if (value == null) {
                throw new IllegalArgumentException("placeholder {{" + name + "}} has no '-- param " + name + ":' default");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().trim();
    }
}
