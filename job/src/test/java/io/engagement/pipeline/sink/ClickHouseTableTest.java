package io.engagement.pipeline.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.clickhouse.client.api.data_formats.RowBinaryFormatSerializer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RowBinary encoding of rows (the wire format of {@link ClickHouseHttpSink}) against bytes laid
 * out by hand from ClickHouse's format description, and the start-up comparison of the encoded types
 * with {@code DESCRIBE TABLE}. The round trip through real servers is in {@code ClickHouseHttpSinkITCase}
 * (18.16) and {@code SchemaOnCurrentEngineITCase} (the current engine).
 */
class ClickHouseTableTest {

    record Row(String s, String maybe, long t, Long n, double d, Double dn, boolean b, Boolean bn, int i, long u) {}

    private final ClickHouseTable<Row> table = new ClickHouseTable<Row>("db.t")
            .string("s", Row::s)
            .nullableString("maybe", Row::maybe)
            .dateTime("t", Row::t)
            .nullableInt64("n", Row::n)
            .float64("d", Row::d)
            .nullableFloat64("dn", Row::dn)
            .bool("b", Row::b)
            .nullableBool("bn", Row::bn)
            .int32("i", Row::i)
            .uint64("u", Row::u);

    @Test
    void encodesEveryColumnKindAsRowBinary() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RowBinaryFormatSerializer serializer = new RowBinaryFormatSerializer(out);
        table.writeRow(
                serializer,
                new Row("é\t", null, 1_764_000_000_999L, null, 1.5e-5, null, true, null, -2, Long.MAX_VALUE));
        table.writeRow(serializer, new Row("", "x", -1L, -7L, Double.NaN, 2.0, false, true, 0, 0));

        ByteBuffer expected = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        // row 1: String = varint length + UTF-8 bytes; Nullable = 1 for NULL (nothing follows)
        expected.put((byte) 3).put("é\t".getBytes(StandardCharsets.UTF_8));
        expected.put((byte) 1);
        expected.putInt(1_764_000_000); // DateTime: UInt32 seconds, the milliseconds dropped
        expected.put((byte) 1);
        expected.putDouble(1.5e-5);
        expected.put((byte) 1);
        expected.put((byte) 1); // UInt8 true
        expected.put((byte) 1);
        expected.putInt(-2);
        expected.putLong(Long.MAX_VALUE);
        // row 2: Nullable = 0 then the value
        expected.put((byte) 0);
        expected.put((byte) 0).put((byte) 1).put((byte) 'x');
        expected.putInt(0); // before 1970: DateTime's first second, not a failed batch
        expected.put((byte) 0).putLong(-7L);
        expected.putDouble(Double.NaN);
        expected.put((byte) 0).putDouble(2.0);
        expected.put((byte) 0);
        expected.put((byte) 0).put((byte) 1);
        expected.putInt(0);
        expected.putLong(0);
        byte[] expectedBytes = new byte[expected.position()];
        expected.flip().get(expectedBytes);
        assertArrayEquals(expectedBytes, out.toByteArray());
    }

    @Test
    void aTimeBeyondDateTimesRangeGoesAsItsLastSecond() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ClickHouseTable<Long>("db.t")
                .dateTime("t", ms -> ms)
                .writeRow(new RowBinaryFormatSerializer(out), Long.MAX_VALUE);
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, out.toByteArray());
    }

    @Test
    void insertNamesTheColumnsInRowOrder() {
        assertEquals("INSERT INTO db.t (s, maybe, t, n, d, dn, b, bn, i, u) FORMAT RowBinary", table.insertSql());
    }

    @Test
    void aTableWithTheEncodedTypesHasNoMismatchLowCardinalityAndTimeZonesIncluded() {
        String describe = String.join(
                "\n",
                "s\tLowCardinality(String)\t\t\t\t\t",
                "maybe\tLowCardinality(Nullable(String))",
                "t\tDateTime('UTC')",
                "n\tNullable(Int64)",
                "d\tFloat64",
                "dn\tNullable(Float64)",
                "b\tUInt8",
                "bn\tNullable(UInt8)",
                "i\tInt32",
                "u\tUInt64",
                "extra\tString\tDEFAULT\t''"); // a column the job does not write takes its default
        assertEquals(List.of(), table.mismatches(describe));
    }

    @Test
    void aMissingColumnOrAnotherWidthIsNamed() {
        String describe = String.join(
                "\n",
                "s\tString",
                "maybe\tNullable(String)",
                "t\tDateTime",
                "n\tInt64",
                "d\tFloat32",
                "dn\tNullable(Float64)",
                "b\tUInt8",
                "bn\tNullable(UInt8)",
                "u\tUInt64");
        assertEquals(
                List.of(
                        "db.t.n is Int64, the job writes Nullable(Int64)",
                        "db.t.d is Float32, the job writes Float64",
                        "db.t has no column i (the job writes it as Int32)"),
                table.mismatches(describe));
    }
}
