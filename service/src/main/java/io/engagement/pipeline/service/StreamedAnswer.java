package io.engagement.pipeline.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An analytics answer written to the client row by row. The response is opened at the first row (or
 * at the end of an empty answer), so an error before it can still set the status.
 */
abstract class StreamedAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final Context ctx;

    StreamedAnswer(Context ctx) {
        this.ctx = ctx;
    }

    abstract void row(Map<String, Object> row) throws IOException;

    /** Ends the answer after {@code rows} rows and flushes it. */
    abstract void finish(long rows) throws IOException;

    /** {@code {"data": [row, ...], "rows": n}}: the shape every JSON analytics answer has. */
    static final class Json extends StreamedAnswer {
        private JsonGenerator out;

        Json(Context ctx) {
            super(ctx);
        }

        private JsonGenerator open() throws IOException {
            if (out == null) {
                ctx.contentType("application/json");
                out = JSON.getFactory().createGenerator(ctx.outputStream());
                out.setCodec(JSON);
                out.writeStartObject();
                out.writeArrayFieldStart("data");
            }
            return out;
        }

        @Override
        void row(Map<String, Object> row) throws IOException {
            open().writeObject(row);
        }

        @Override
        void finish(long rows) throws IOException {
            JsonGenerator json = open();
            json.writeEndArray();
            json.writeNumberField("rows", rows);
            json.writeEndObject();
            json.close();
        }
    }

    /** RFC 4180 CSV with a header line from the first row's columns; empty when there is no row. */
    static final class Csv extends StreamedAnswer {
        private final String fileName;
        private Writer out;

        Csv(Context ctx, String fileName) {
            super(ctx);
            this.fileName = fileName;
        }

        private Writer open() {
            if (out == null) {
                ctx.contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + fileName + ".csv\"");
                out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8);
            }
            return out;
        }

        @Override
        void row(Map<String, Object> row) throws IOException {
            boolean first = out == null;
            Writer csv = open();
            if (first) {
                csv.write(AnalyticsApi.csvLine(row.keySet()));
            }
            csv.write(AnalyticsApi.csvLine(row.values()));
        }

        @Override
        void finish(long rows) throws IOException {
            open().flush();
        }
    }
}
