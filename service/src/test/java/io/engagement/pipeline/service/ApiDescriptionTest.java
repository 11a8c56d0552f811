package io.engagement.pipeline.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The routes the service registers, its OpenAPI file and docs/api.md name the same endpoints. */
class ApiDescriptionTest {

    private static Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        EngagementService.ROUTES.forEach(r -> routes.add(r.method().name() + " " + r.path()));
        return routes;
    }

    @Test
    void openApiDescribesExactlyTheRoutes() throws Exception {
        JsonNode doc = new ObjectMapper()
                .readTree(Path.of("service/src/main/resources/service/openapi.json")
                        .toFile());
        Set<String> described = new TreeSet<>();
        doc.get("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(method -> described.add(method.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        assertEquals(routes(), described);
    }

    @Test
    void docsApiMdDocumentsExactlyTheRoutes() throws Exception {
        Matcher m = Pattern.compile("(?m)^### `(GET|POST|PUT|DELETE) ([^`]+)`")
                .matcher(Files.readString(Path.of("docs/api.md")));
        Set<String> documented = new TreeSet<>();
        while (m.find()) {
            documented.add(m.group(1) + " " + m.group(2));
        }
        assertEquals(routes(), documented);
    }
}
