package io.engagement.pipeline.testing;

import io.engagement.pipeline.clickhouse.ApplySchema;
import io.engagement.pipeline.clickhouse.ClickHouseHttp;
import io.engagement.pipeline.sink.ClickHouseOutputs;
import io.engagement.pipeline.sink.ClickHouseTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A ClickHouse a test talks to over HTTP: a real server ({@link ClickHouseTestServer}, Debian's
 * 18.16) or the current engine behind a test front ({@link ChdbTestServer}), so one test body checks
 * both.
 */
public interface ClickHouseEndpoint extends AutoCloseable {

    ClickHouseHttp http();

    String httpUrl();

    /** Runs a query and returns its TSV rows (no header), trimmed of the trailing newline. */
    default List<String> rows(String sql) throws IOException {
        String body = http().execute(sql + " FORMAT TSV");
        return body.isEmpty() ? List.of() : List.of(body.strip().split("\n"));
    }

    default long count(String sql) throws IOException {
        return Long.parseLong(http().execute(sql).trim());
    }

    /**
     * What is wrong between each table the job writes, applied from sql/ddl into {@code database}, and
     * what its writer encodes ({@link ClickHouseTable#mismatches} of {@code DESCRIBE TABLE}); empty when
     * every writer can send.
     */
    default List<String> jobTableMismatches(String database) throws IOException {
        ApplySchema.apply(http(), Path.of("sql/ddl"), database);
        List<String> problems = new ArrayList<>();
        for (ClickHouseTable<?> table : ClickHouseOutputs.ALL) {
            ClickHouseTable<?> moved = table.inDatabase(database);
            problems.addAll(
                    moved.mismatches(http().execute("DESCRIBE TABLE " + moved.table() + " FORMAT TabSeparated")));
        }
        return problems;
    }
}
