package io.engagement.pipeline.sink;

import com.clickhouse.client.api.data_formats.RowBinaryFormatSerializer;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One ClickHouse table as the job writes it: its columns in order, each with the ClickHouse type it
 * is encoded as and how it is read from a row. Rows go in ClickHouse's RowBinary format, encoded by
 * ClickHouse's own Java client ({@link RowBinaryFormatSerializer}); the INSERT statement and the
 * start-up check of the table's columns ({@link #mismatches}) come from the same list, so names,
 * order and types cannot drift apart.
 *
 * <p>RowBinary carries no types: a column encoded with another width than the table's would shift
 * every following byte, so {@link #mismatches} compares each column's type with {@code DESCRIBE
 * TABLE} before a writer sends anything. Encodings (the same on 18.16 and current releases): DateTime
 * as UInt32 epoch seconds, booleans as UInt8 0/1, {@code Nullable(T)} as a 0/1 byte then T,
 * {@code UInt64} as the long's 8 bytes (the job's counters are never negative).
 */
public final class ClickHouseTable<T> implements Serializable {

    /** Writes one column of one row. Serializable so Flink can ship the sink to task managers. */
    public interface ColumnWriter<T> extends Serializable {
        void write(RowBinaryFormatSerializer out, T row) throws IOException;
    }

    /** A column: its name, the ClickHouse type its encoding is, and its writer. */
    public record Column<T>(String name, String type, ColumnWriter<T> writer) implements Serializable {}

    private final String table;
    private final List<Column<T>> columns = new ArrayList<>();

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
        moved.columns.addAll(columns);
        return moved;
    }

    public List<String> columns() {
        return columns.stream().map(Column::name).toList();
    }

    /** Column name to the ClickHouse type it is encoded as, in row order. */
    public Map<String, String> columnTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        columns.forEach(c -> types.put(c.name(), c.type()));
        return types;
    }

    public ClickHouseTable<T> column(String name, String type, ColumnWriter<T> writer) {
        columns.add(new Column<>(name, type, writer));
        return this;
    }

    public ClickHouseTable<T> string(String name, SerializableFunction<T, String> value) {
        return column(name, "String", (out, row) -> out.writeString(value.apply(row)));
    }

    public ClickHouseTable<T> nullableString(String name, SerializableFunction<T, String> value) {
        return column(name, "Nullable(String)", (out, row) -> {
            String v = value.apply(row);
            if (v == null) {
                out.writeNull();
            } else {
                out.writeNotNull();
                out.writeString(v);
            }
        });
    }

    public ClickHouseTable<T> int32(String name, SerializableFunction<T, Integer> value) {
        return column(name, "Int32", (out, row) -> out.writeInt32(value.apply(row)));
    }

    public ClickHouseTable<T> int64(String name, SerializableFunction<T, Long> value) {
        return column(name, "Int64", (out, row) -> out.writeInt64(value.apply(row)));
    }

    /** A count: the long's 8 bytes are the UInt64 of every value the job writes (0 .. 2^63-1). */
    public ClickHouseTable<T> uint64(String name, SerializableFunction<T, Long> value) {
        return column(name, "UInt64", (out, row) -> out.writeInt64(value.apply(row)));
    }

    public ClickHouseTable<T> nullableInt64(String name, SerializableFunction<T, Long> value) {
        return column(name, "Nullable(Int64)", (out, row) -> {
            Long v = value.apply(row);
            if (v == null) {
                out.writeNull();
            } else {
                out.writeNotNull();
                out.writeInt64(v);
            }
        });
    }

    public ClickHouseTable<T> float64(String name, SerializableFunction<T, Double> value) {
        return column(name, "Float64", (out, row) -> out.writeFloat64(value.apply(row)));
    }

    public ClickHouseTable<T> nullableFloat64(String name, SerializableFunction<T, Double> value) {
        return column(name, "Nullable(Float64)", (out, row) -> {
            Double v = value.apply(row);
            if (v == null) {
                out.writeNull();
            } else {
                out.writeNotNull();
                out.writeFloat64(v);
            }
        });
    }

    /**
     * DateTime column from epoch milliseconds. ClickHouse's DateTime is UInt32 seconds (1970 to 2106);
     * a time outside goes as the nearest end, so one row can never fail a batch (event times are
     * validated to lie near the present long before they get here: docs/events.md).
     */
    public ClickHouseTable<T> dateTime(String name, SerializableFunction<T, Long> epochMs) {
        return column(
                name,
                "DateTime",
                (out, row) -> out.writeUInt32(
                        Math.max(0L, Math.min(MAX_DATE_TIME_SECONDS, Math.floorDiv(epochMs.apply(row), 1000L)))));
    }

    static final long MAX_DATE_TIME_SECONDS = 0xFFFF_FFFFL;

    public ClickHouseTable<T> bool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, "UInt8", (out, row) -> out.writeUInt8((short) (value.apply(row) ? 1 : 0)));
    }

    public ClickHouseTable<T> nullableBool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, "Nullable(UInt8)", (out, row) -> {
            Boolean v = value.apply(row);
            if (v == null) {
                out.writeNull();
            } else {
                out.writeNotNull();
                out.writeUInt8((short) (v ? 1 : 0));
            }
        });
    }

    /**
     * An {@code Array(UInt64)} of fewer than 128 elements: RowBinary writes an array's length as a
     * LEB128 varint, which below 128 is the one byte of the length, then the elements.
     */
    public ClickHouseTable<T> uint64Array(String name, SerializableFunction<T, long[]> value) {
        return column(name, "Array(UInt64)", (out, row) -> {
            long[] values = value.apply(row);
            if (values.length >= 128) {
                throw new IOException(name + " has " + values.length + " elements; this writer sends fewer than 128");
            }
            out.writeUInt8((short) values.length);
            for (long v : values) {
                out.writeInt64(v);
            }
        });
    }

    /**
     * An {@code Array(String)} of fewer than 128 elements (an event's property keys or values, at most
     * 32): the length as its one LEB128 byte, then each string as RowBinary writes a String. A null
     * array is an empty one.
     */
    public ClickHouseTable<T> stringArray(String name, SerializableFunction<T, String[]> value) {
        return column(name, "Array(String)", (out, row) -> {
            String[] values = value.apply(row);
            if (values == null) {
                out.writeUInt8((short) 0);
                return;
            }
            if (values.length >= 128) {
                throw new IOException(name + " has " + values.length + " elements; this writer sends fewer than 128");
            }
            out.writeUInt8((short) values.length);
            for (String v : values) {
                out.writeString(v);
            }
        });
    }

    /** The statement a batch of {@link #writeRow rows} is the data of. */
    public String insertSql() {
        return "INSERT INTO " + table + " (" + String.join(", ", columns()) + ") FORMAT RowBinary";
    }

    /** Appends {@code row} in RowBinary. */
    public void writeRow(RowBinaryFormatSerializer out, T row) throws IOException {
        for (Column<T> column : columns) {
            column.writer().write(out, row);
        }
    }

    /**
     * What is wrong between these columns and the table's, one line per column, given the table's
     * {@code DESCRIBE TABLE ... FORMAT TabSeparated} output (name, type, ...); empty when the writer
     * can send. Types compare as RowBinary encodes them: {@code LowCardinality(T)} is sent as T and a
     * DateTime's time zone changes nothing on the wire.
     */
    public List<String> mismatches(String describeOutput) {
        Map<String, String> described = new LinkedHashMap<>();
        for (String line : describeOutput.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length >= 2) {
                described.put(fields[0], fields[1]);
            }
        }
        List<String> problems = new ArrayList<>();
        for (Column<T> column : columns) {
            String type = described.get(column.name());
            if (type == null) {
                problems.add(
                        table + " has no column " + column.name() + " (the job writes it as " + column.type() + ")");
            } else if (!wireType(type).equals(column.type())) {
                problems.add(table + "." + column.name() + " is " + type + ", the job writes " + column.type());
            }
        }
        return problems;
    }

    private static final Pattern LOW_CARDINALITY = Pattern.compile("LowCardinality\\((.*)\\)");
    private static final Pattern DATE_TIME_WITH_ZONE = Pattern.compile("DateTime\\('[^']*'\\)");

    static String wireType(String type) {
        String t = type.trim();
        var lowCardinality = LOW_CARDINALITY.matcher(t);
        if (lowCardinality.matches()) {
            t = lowCardinality.group(1);
        }
        return DATE_TIME_WITH_ZONE.matcher(t).replaceAll("DateTime");
    }

    /** A getter that Flink can serialize with the sink. */
    public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
}
