package io.engagement.pipeline.testing;

import io.engagement.pipeline.clickhouse.ClickHouseHttp;

import java.io.IOException;
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
}
