package io.engagement.pipeline.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClickHouseHttpTest {

    @Test
    void theHttpBaseUrlDropsDatabaseAndParametersOfTheJdbcUrl() {
        assertEquals(
                "http://127.0.0.1:8123",
                ClickHouseHttp.httpUrlFromJdbc("jdbc:clickhouse://127.0.0.1:8123?compress=false"));
        assertEquals(
                "http://ch:8123",
                ClickHouseHttp.httpUrlFromJdbc("jdbc:clickhouse://ch:8123/engagement?compress=false"));
        assertEquals("http://ch:8123", ClickHouseHttp.httpUrlFromJdbc("jdbc:clickhouse://ch:8123"));
    }
}
