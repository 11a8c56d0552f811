package io.engagement.pipeline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where each creator's alerts go: the creators' webhooks, read from {@code service.alert-webhooks-file}
 * at start-up (a JSON object {@code {"<creator id>": {"url": "https://...", "secret": "..."}}}; the file
 * holds secrets, so it is the operator's, like the API keys). And how a delivery is signed: header
 * {@code X-Engagement-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, so a
 * receiver can check both who sent it and that it is fresh (docs/api.md#alert-webhooks).
 */
final class AlertWebhooks {

    /** One creator's endpoint. */
    record Webhook(URI url, String secret) {}

    static final int MIN_SECRET_LENGTH = 16;

    private final Map<String, Webhook> byCreator;

    AlertWebhooks(Map<String, Webhook> byCreator) {
        this.byCreator = Map.copyOf(byCreator);
    }

    /** @throws IllegalArgumentException naming what is wrong with the file */
    static AlertWebhooks read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object of creator id -> {url, secret}");
        }
        Map<String, Webhook> hooks = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String creator = entry.getKey();
            JsonNode url = entry.getValue().get("url");
            JsonNode secret = entry.getValue().get("secret");
            if (url == null
                    || !url.isTextual()
                    || !(url.asText().startsWith("https://") || url.asText().startsWith("http://"))) {
                throw new IllegalArgumentException("creator '" + creator + "': url must be an http(s) URL");
            }
            if (secret == null || !secret.isTextual() || secret.asText().length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException(
                        "creator '" + creator + "': secret must be at least " + MIN_SECRET_LENGTH + " characters");
            }
            try {
                hooks.put(creator, new Webhook(URI.create(url.asText()), secret.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("creator '" + creator + "': url is not a URL: " + e.getMessage());
            }
        }
        return new AlertWebhooks(hooks);
    }

    Webhook of(String creatorId) {
        return creatorId == null ? null : byCreator.get(creatorId);
    }

    int size() {
        return byCreator.size();
    }

    /** The signature header's value for {@code body} sent at {@code epochSeconds}. */
    static String signature(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + epochSeconds + ",v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
