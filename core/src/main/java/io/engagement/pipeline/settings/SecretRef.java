package io.engagement.pipeline.settings;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A secret setting as the job graph carries it: where to read the value, never the value. The job
 * graph is stored by the JobManager, shown in parts by the REST API and shipped to every TaskManager,
 * so a password in it is a password in all of those. A reference is resolved where the value is
 * used, on the TaskManager (by the sink or function that needs it, when it opens):
 * <ul>
 *   <li>{@code ${env:NAME}}: the environment variable {@code NAME} (set on every TaskManager, e.g. from
 *       a Kubernetes Secret); a secret given to the job in its own environment variable
 *       ({@code ENGAGEMENT_CLICKHOUSE_PASSWORD}) becomes a reference to that variable;</li>
 *   <li>{@code ${file:/path}}: the whole content of a file, without a trailing newline (a mounted
 *       Kubernetes Secret: one file per key).</li>
 * </ul>
 */
public final class SecretRef implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private enum Kind {
        NONE,
        ENV,
        FILE,
        LITERAL
    }

    private final String setting;
    private final Kind kind;
    private final String location;

    private SecretRef(String setting, Kind kind, String location) {
        this.setting = setting;
        this.kind = kind;
        this.location = location;
    }

    /** A secret that is not set (resolves to the empty string). */
    public static SecretRef none(String setting) {
        return new SecretRef(setting, Kind.NONE, "");
    }

    /**
     * The value itself, for tests and command-line tools that hold it anyway. The job never builds
     * one: serialized, it would carry the value ({@code JobGraphSecretsTest}).
     */
    public static SecretRef literal(String setting, String value) {
        return new SecretRef(setting, Kind.LITERAL, value);
    }

    public static SecretRef env(String setting, String variable) {
        return new SecretRef(setting, Kind.ENV, variable);
    }

    public static SecretRef file(String setting, String path) {
        return new SecretRef(setting, Kind.FILE, path);
    }

    /** The reference {@code value} spells ({@code ${env:NAME}} or {@code ${file:/path}}), or null when it is not one. */
    public static SecretRef parse(String setting, String value) {
        Matcher m = value == null ? null : REFERENCE.matcher(value.strip());
        if (m == null || !m.matches()) {
            return null;
        }
        return m.group(1).equals("env") ? env(setting, m.group(2)) : file(setting, m.group(2));
    }

    public boolean isSet() {
        return kind != Kind.NONE;
    }

    /** The value, read here (on a TaskManager: from its environment or file system). */
    public String resolve() {
        return resolve(System.getenv());
    }

    /** The value, with {@code env} as the environment (the job's client passes the one it was given). */
    public String resolve(Map<String, String> env) {
        switch (kind) {
            case NONE:
                return "";
            case LITERAL:
                return location;
            case ENV: {
                String value = env.get(location);
                if (value == null) {
                    throw new ConfigException(
                            setting + ": environment variable " + location + " is not set here"
                                    + " (a secret is read where it is used: set it on every TaskManager, and where the job is submitted)");
                }
                return value;
            }
            default:
                try {
                    String value = Files.readString(Path.of(location), StandardCharsets.UTF_8);
                    return value.endsWith("\n")
                            ? value.substring(0, value.length() - (value.endsWith("\r\n") ? 2 : 1))
                            : value;
                } catch (IOException | RuntimeException e) {
                    throw new ConfigException(setting + ": cannot read the secret file " + location + " here: " + e);
                }
        }
    }

    /** The reference as written, never the value. */
    @Override
    public String toString() {
        if (kind == Kind.LITERAL) {
            return "(a value)";
        }
        return kind == Kind.NONE
                ? "(not set)"
                : "${" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + location + "}";
    }
}
