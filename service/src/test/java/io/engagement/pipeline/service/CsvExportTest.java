package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CSV export: RFC 4180 quoting, and text a spreadsheet would run as a formula neutralised (OWASP). */
class CsvExportTest {

    private static Map<String, Object> row(Object contentId, Object likes) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("content_id", contentId);
        row.put("likes", likes);
        return row;
    }

    @Test
    void formulasBecomeTextNumbersStayNumbers() {
        String csv = AnalyticsApi.csv(List.of(
                row("=HYPERLINK(\"http://evil.example\",\"click\")", 3L),
                row("+1+2", -4L),
                row("-2+3", -0.5),
                row("@SUM(A1:A9)", 0),
                row("\tx", null),
                row("\rx", 1),
                row("plain, with comma", 2)));
        assertEquals(
                "content_id,likes\r\n"
                        + "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",3\r\n"
                        + "'+1+2,-4\r\n"
                        + "'-2+3,-0.5\r\n"
                        + "'@SUM(A1:A9),0\r\n"
                        + "'\tx,\r\n"
                        + "\"'\rx\",1\r\n"
                        + "\"plain, with comma\",2\r\n",
                csv);
    }
}
