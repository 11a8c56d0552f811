package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The TabSeparated rendering of rows (the wire format of {@link ClickHouseHttpSink}); the round trip
 * through a real server is covered by the end-to-end tests, which compare what ClickHouse returns.
 */
class ClickHouseTableTest {

    record Row(String s, String maybe, long t, Long n, double d, Double dn, boolean b, Boolean bn) {}

    private final ClickHouseTable<Row> table = new ClickHouseTable<Row>("db.t")
            .string("s", Row::s)
            .nullableString("maybe", Row::maybe)
            .dateTime("t", Row::t)
            .nullableInt64("n", Row::n)
            .float64("d", Row::d)
            .nullableFloat64("dn", Row::dn)
            .bool("b", Row::b)
            .nullableBool("bn", Row::bn);

    @Test
    void rendersEveryColumnKindAsClickHouseParsesIt() {
        StringBuilder out = new StringBuilder();
        table.writeRow(out, new Row("a\tb\\c\nd\re", null, 1_764_000_000_999L, null, 1.5e-5, null, true, null));
        table.writeRow(out, new Row("", "x", -1L, -7L, Double.NaN, Double.NEGATIVE_INFINITY, false, true));
        assertEquals("a\\tb\\\\c\\nd\\re\t\\N\t1764000000\t\\N\t1.5E-5\t\\N\t1\t\\N\n"
                + "\tx\t-1\t-7\tnan\t-inf\t0\t1\n", out.toString());
    }

    @Test
    void insertNamesTheColumnsInRowOrder() {
        assertEquals("INSERT INTO db.t (s, maybe, t, n, d, dn, b, bn) FORMAT TabSeparated", table.insertSql());
    }
}
