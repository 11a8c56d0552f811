package io.engagement.pipeline.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API keys of the service, from {@code service.api-keys}: {@code name:key:role[:creator_id]}
 * entries separated by commas. Keys are kept as SHA-256 digests and compared in constant time, so
 * neither a heap dump nor response timing gives one away.
 */
public final class ApiKeys {

    private record Entry(byte[] digest, Caller caller) {}

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    public static ApiKeys parse(String spec) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            String[] f = item.strip().split(":", -1);
            if (f.length < 3 || f.length > 4) {
                throw new IllegalArgumentException("entry '" + f[0] + ":...' must be name:key:role[:creator_id]");
            }
            String name = f[0];
            if (!name.matches("[\\w.-]{1,64}") || !names.add(name)) {
                throw new IllegalArgumentException(
                        "key name '" + name + "' must be unique, of letters, digits, '.', '-', '_'");
            }
            if (f[1].length() < 16) {
                throw new IllegalArgumentException("the key of '" + name + "' is shorter than 16 characters");
            }
            Role role;
            try {
                role = Role.valueOf(f[2].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the role of '" + name
                        + "' must be tracking, creator, admin, catalog or metrics, not '" + f[2] + "'");
            }
            String creator = f.length == 4 ? f[3] : null;
            if ((role == Role.CREATOR) != (creator != null && !creator.isBlank())) {
                throw new IllegalArgumentException(
                        "'" + name + "': a creator key names its creator id, and only a creator key does");
            }
            entries.add(new Entry(digest(f[1]), new Caller(name, role, creator)));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no API key is configured: nobody could call the service");
        }
        return new ApiKeys(List.copyOf(entries));
    }

    /** The caller holding {@code key}, if it is one of ours; every entry is compared, in constant time. */
    public Optional<Caller> find(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = digest(key);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, presented)) {
                found = e.caller;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
