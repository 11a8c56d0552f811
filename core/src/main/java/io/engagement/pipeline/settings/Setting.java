package io.engagement.pipeline.settings;

import java.util.Locale;
import java.util.Objects;

/**
 * One setting, declared once: its key, default, type, meaning and whether it is a secret. Everything
 * else derives from the declaration: the environment variable, parsing and validation
 * ({@link SettingSources}), {@code --help}, the tables of docs/configuration.md
 * ({@link SettingsDocumentation}) and the check of the Kubernetes manifests. Modelled on Flink's
 * {@code ConfigOption}, without Flink classes, because the service and the tools use it too.
 *
 * @param <T> the parsed value
 */
public final class Setting<T> {

    /** The prefix of every setting's environment variable. */
    public static final String ENV_PREFIX = "ENGAGEMENT_";

    private final String key;
    private final String defaultValue;
    private final SettingType<T> type;
    private final String description;
    private final boolean secret;
    private final String accepted;

    private Setting(
            String key, String defaultValue, SettingType<T> type, String description, boolean secret, String accepted) {
        this.key = Objects.requireNonNull(key);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.type = Objects.requireNonNull(type);
        this.description = Objects.requireNonNull(description);
        this.secret = secret;
        this.accepted = accepted;
    }

    /** A setting of {@code type}, {@code defaultValue} as written in a properties file ("" for none). */
    public static <T> Setting<T> of(String key, String defaultValue, SettingType<T> type, String description) {
        return new Setting<>(key, defaultValue, type, description, false, null);
    }

    /** The same setting as a secret: never a program argument, never printed, never in a job graph. */
    public Setting<T> secret() {
        return new Setting<>(key, defaultValue, type, description, true, accepted);
    }

    /** The same setting with the accepted values described in other words than its type's. */
    public Setting<T> accepting(String acceptedValues) {
        return new Setting<>(key, defaultValue, type, description, secret, acceptedValues);
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    /** What values are accepted, in words (docs and {@code --help}). */
    public String accepted() {
        return accepted != null ? accepted : type.accepted();
    }

    public String envName() {
        return envName(key);
    }

    /**
     * The value of {@code text}.
     *
     * @throws IllegalArgumentException with what is wrong, worded to follow the key ("must be ...")
     */
    public T parse(String text) {
        return type.parse(text);
    }

    /** {@code window.allowed-lateness} -> {@code ENGAGEMENT_WINDOW_ALLOWED_LATENESS}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return key;
    }
}
