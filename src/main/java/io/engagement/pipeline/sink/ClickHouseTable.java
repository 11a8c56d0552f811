package io.engagement.pipeline.sink;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One ClickHouse table as the job writes it: the column names and how each is written from a row, as
 * one line of ClickHouse's TabSeparated format. The INSERT statement is generated from the same list,
 * so names and column order cannot drift apart.
 *
 * <p>Values are written in the forms every ClickHouse version parses (checked on 18.16, docs/clickhouse.md):
 * DateTime as epoch seconds (no time-zone ambiguity), Nullable as {@code \N}, booleans as UInt8 0/1,
 * doubles in Java notation ({@code 1.5E-5}) with NaN/Infinity as {@code nan}/{@code inf}, strings with
 * backslash, tab, newline and carriage return escaped.
 */
public final class ClickHouseTable<T> implements Serializable {

    /** Appends one column of one row. Serializable so Flink can ship the sink to task managers. */
    public interface ColumnWriter<T> extends Serializable {
        void write(StringBuilder out, T row);
    }

    private final String table;
    private final List<String> names = new ArrayList<>();
    private final List<ColumnWriter<T>> writers = new ArrayList<>();

    public ClickHouseTable(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The same table and columns in another database (the name's qualifier replaced). */
    public ClickHouseTable<T> inDatabase(String database) {
        String name = table.substring(table.indexOf('.') + 1);
        if (table.equals(database + "." + name)) {
            return this;
        }
        ClickHouseTable<T> moved = new ClickHouseTable<>(database + "." + name);
        moved.names.addAll(names);
        moved.writers.addAll(writers);
        return moved;
    }

    public List<String> columns() {
        return List.copyOf(names);
    }

    public ClickHouseTable<T> column(String name, ColumnWriter<T> writer) {
        names.add(name);
        writers.add(writer);
        return this;
    }

    public ClickHouseTable<T> string(String name, SerializableFunction<T, String> value) {
        return column(name, (out, row) -> escape(out, value.apply(row)));
    }

    public ClickHouseTable<T> nullableString(String name, SerializableFunction<T, String> value) {
        return column(name, (out, row) -> {
            String v = value.apply(row);
            if (v == null) {
                out.append(NULL);
            } else {
                escape(out, v);
            }
        });
    }

    public ClickHouseTable<T> int64(String name, SerializableFunction<T, Long> value) {
        return column(name, (out, row) -> out.append((long) value.apply(row)));
    }

    public ClickHouseTable<T> nullableInt64(String name, SerializableFunction<T, Long> value) {
        return column(name, (out, row) -> {
            Long v = value.apply(row);
            if (v == null) {
                out.append(NULL);
            } else {
                out.append((long) v);
            }
        });
    }

    public ClickHouseTable<T> float64(String name, SerializableFunction<T, Double> value) {
        return column(name, (out, row) -> writeDouble(out, value.apply(row)));
    }

    public ClickHouseTable<T> nullableFloat64(String name, SerializableFunction<T, Double> value) {
        return column(name, (out, row) -> {
            Double v = value.apply(row);
            if (v == null) {
                out.append(NULL);
            } else {
                writeDouble(out, v);
            }
        });
    }

    /** DateTime column from epoch milliseconds (ClickHouse DateTime has second precision). */
    public ClickHouseTable<T> dateTime(String name, SerializableFunction<T, Long> epochMs) {
        return column(name, (out, row) -> out.append(Math.floorDiv(epochMs.apply(row), 1000L)));
    }

    public ClickHouseTable<T> bool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, (out, row) -> out.append(value.apply(row) ? '1' : '0'));
    }

    public ClickHouseTable<T> nullableBool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, (out, row) -> {
            Boolean v = value.apply(row);
            if (v == null) {
                out.append(NULL);
            } else {
                out.append(v ? '1' : '0');
            }
        });
    }

    /** The statement a batch of {@link #writeRow rows} is the data of. */
    public String insertSql() {
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") FORMAT TabSeparated";
    }

    /** Appends {@code row} as one TabSeparated line. */
    public void writeRow(StringBuilder out, T row) {
        for (int i = 0; i < writers.size(); i++) {
            if (i > 0) {
                out.append('\t');
            }
            writers.get(i).write(out, row);
        }
        out.append('\n');
    }

    private static final String NULL = "\\N";

    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }

    static void writeDouble(StringBuilder out, double value) {
        if (Double.isNaN(value)) {
            out.append("nan");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "inf" : "-inf");
        } else {
            out.append(value);
        }
    }

    /** A getter that Flink can serialize with the sink. */
    public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
}
