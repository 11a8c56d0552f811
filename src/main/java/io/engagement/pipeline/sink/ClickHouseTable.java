package io.engagement.pipeline.sink;

import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One ClickHouse table as the job writes it: the column names and how each is bound from a row. The
 * INSERT statement is generated from the same list, so names and bind order cannot drift apart.
 *
 * <p>Bindings follow what works on every ClickHouse version with the jdbc-v2 driver (docs/clickhouse.md):
 * DateTime as epoch seconds via {@code setLong}, Nullable via {@code setNull}.
 */
public final class ClickHouseTable<T> implements JdbcStatementBuilder<T> {

    /** Binds one column of one row. Serializable so Flink can ship the sink to task managers. */
    public interface Binder<T> extends Serializable {
        void bind(PreparedStatement ps, int index, T row) throws SQLException;
    }

    private final String table;
    private final List<String> names = new ArrayList<>();
    private final List<Binder<T>> binders = new ArrayList<>();

    public ClickHouseTable(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    public List<String> columns() {
        return List.copyOf(names);
    }

    public ClickHouseTable<T> column(String name, Binder<T> binder) {
        names.add(name);
        binders.add(binder);
        return this;
    }

    public ClickHouseTable<T> string(String name, SerializableFunction<T, String> value) {
        return column(name, (ps, i, row) -> ps.setString(i, value.apply(row)));
    }

    public ClickHouseTable<T> nullableString(String name, SerializableFunction<T, String> value) {
        return column(name, (ps, i, row) -> {
            String v = value.apply(row);
            if (v == null) {
                ps.setNull(i, Types.VARCHAR);
            } else {
                ps.setString(i, v);
            }
        });
    }

    public ClickHouseTable<T> int64(String name, SerializableFunction<T, Long> value) {
        return column(name, (ps, i, row) -> ps.setLong(i, value.apply(row)));
    }

    public ClickHouseTable<T> nullableInt64(String name, SerializableFunction<T, Long> value) {
        return column(name, (ps, i, row) -> {
            Long v = value.apply(row);
            if (v == null) {
                ps.setNull(i, Types.BIGINT);
            } else {
                ps.setLong(i, v);
            }
        });
    }

    public ClickHouseTable<T> float64(String name, SerializableFunction<T, Double> value) {
        return column(name, (ps, i, row) -> ps.setDouble(i, value.apply(row)));
    }

    public ClickHouseTable<T> nullableFloat64(String name, SerializableFunction<T, Double> value) {
        return column(name, (ps, i, row) -> {
            Double v = value.apply(row);
            if (v == null) {
                ps.setNull(i, Types.DOUBLE);
            } else {
                ps.setDouble(i, v);
            }
        });
    }

    /** DateTime column from epoch milliseconds (ClickHouse DateTime has second precision). */
    public ClickHouseTable<T> dateTime(String name, SerializableFunction<T, Long> epochMs) {
        return column(name, (ps, i, row) -> ps.setLong(i, Math.floorDiv(epochMs.apply(row), 1000L)));
    }

    public ClickHouseTable<T> bool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, (ps, i, row) -> ps.setInt(i, value.apply(row) ? 1 : 0));
    }

    public ClickHouseTable<T> nullableBool(String name, SerializableFunction<T, Boolean> value) {
        return column(name, (ps, i, row) -> {
            Boolean v = value.apply(row);
            if (v == null) {
                ps.setNull(i, Types.TINYINT);
            } else {
                ps.setInt(i, v ? 1 : 0);
            }
        });
    }

    public String insertSql() {
        return "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + names.stream().map(n -> "?").collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public void accept(PreparedStatement ps, T row) throws SQLException {
        for (int i = 0; i < binders.size(); i++) {
            binders.get(i).bind(ps, i + 1, row);
        }
    }

    /** A getter that Flink can serialize with the sink. */
    public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {}
}
