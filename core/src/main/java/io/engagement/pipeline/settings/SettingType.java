package io.engagement.pipeline.settings;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes its value, and what it accepts, in words. A parse failure is an
 * {@link IllegalArgumentException} whose message follows the key: "must be ... (was '...')".
 *
 * @param accepted the accepted values, in words (docs/configuration.md, {@code --help})
 * @param parser text -> value, throwing IllegalArgumentException with what is wrong
 * @param <T> the value
 */
public record SettingType<T>(String accepted, Function<String, T> parser) {

    public T parse(String text) {
        return parser.apply(text);
    }

    /** This type with one more check of the parsed value: {@code problem} returns what is wrong, or null. */
    public SettingType<T> checked(String acceptedValues, Function<T, String> problem) {
        return new SettingType<>(acceptedValues, text -> {
            T value = parser.apply(text);
            String wrong = value == null ? null : problem.apply(value);
            if (wrong != null) {
                throw new IllegalArgumentException(wrong);
            }
            return value;
        });
    }

    /** This type's value turned into another (the text's meaning, not a check: that is {@link #checked}). */
    public <R> SettingType<R> map(Function<T, R> meaning) {
        return new SettingType<>(accepted, text -> {
            T value = parser.apply(text);
            return value == null ? null : meaning.apply(value);
        });
    }

    /** Non-empty text, trimmed. */
    public static SettingType<String> text() {
        return new SettingType<>("non-empty", SettingType::nonEmpty);
    }

    /** Any text, untrimmed, empty allowed (a password). */
    public static SettingType<String> anyText() {
        return new SettingType<>("anything, not checked", text -> text == null ? "" : text);
    }

    /** Text checked by {@code problem} (what is wrong, or null); empty is refused. */
    public static SettingType<String> text(String accepted, Function<String, String> problem) {
        return text().checked(accepted, problem);
    }

    /** Empty (null) or text checked by {@code problem}; trimmed. */
    public static SettingType<String> optional(String accepted, Function<String, String> problem) {
        return new SettingType<>(accepted, text -> {
            if (text == null || text.isBlank()) {
                return null;
            }
            String value = text.strip();
            String wrong = problem.apply(value);
            if (wrong != null) {
                throw new IllegalArgumentException(wrong);
            }
            return value;
        });
    }

    /** Text matching {@code pattern}, described as {@code expected}. */
    public static SettingType<String> matching(Pattern pattern, String expected) {
        return text(expected, v -> pattern.matcher(v).matches() ? null : "must be " + expected + " (was '" + v + "')");
    }

    /** One of {@code allowed}. */
    public static SettingType<String> oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        String words = String.join(", ", values.stream().map(v -> "`" + v + "`").toList());
        return text(
                words,
                v -> values.contains(v) ? null : "must be one of " + String.join(", ", values) + " (was '" + v + "')");
    }

    /** {@code on} or {@code off}, as a boolean. */
    public static SettingType<Boolean> onOff() {
        SettingType<String> words = oneOf("on", "off");
        return new SettingType<>(words.accepted(), text -> "on".equals(words.parse(text)));
    }

    /** A whole number from {@code min} to {@code max}. */
    public static SettingType<Integer> integer(int min, int max) {
        String accepted = max == Integer.MAX_VALUE
                ? (min == 0 ? "integer >= 0" : "integer >= " + min)
                : "integer from " + min + " to " + max;
        return new SettingType<>(accepted, text -> {
            String v = nonEmpty(text);
            int value;
            try {
                value = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number (was '" + v + "')");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        max == Integer.MAX_VALUE
                                ? (min == 1 ? "must be > 0" : "must be >= " + min) + " (was " + value + ")"
                                : "must be from " + min + " to " + max + " (was " + value + ")");
            }
            return value;
        });
    }

    /** A finite number above zero. */
    public static SettingType<Double> positiveNumber() {
        return new SettingType<>("positive number", text -> {
            String v = nonEmpty(text);
            try {
                double d = Double.parseDouble(v);
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("must be a positive number (was '" + v + "')");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number (was '" + v + "')");
            }
        });
    }

    /** A number above 1: how many times larger or smaller than typical something must be. */
    public static SettingType<Double> factor() {
        return new SettingType<>("number above 1", text -> {
            String v = nonEmpty(text);
            try {
                double d = Double.parseDouble(v);
                if (!(d > 1) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("must be a number above 1 (was '" + v + "')");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number (was '" + v + "')");
            }
        });
    }

    /** A duration >= 0 ({@link Durations}: {@code 500 ms}, {@code 30 s}, {@code 5 min}, {@code 6 h}, {@code 7 d}). */
    public static SettingType<Duration> duration() {
        return new SettingType<>("duration >= 0", SettingType::parseDuration);
    }

    /** A duration above zero. */
    public static SettingType<Duration> positiveDuration() {
        return new SettingType<>("positive duration", text -> {
            Duration d = parseDuration(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("must be a positive duration (was '" + text.strip() + "')");
            }
            return d;
        });
    }

    /** This duration type with an upper bound of whole days. */
    public static SettingType<Duration> atMostDays(SettingType<Duration> type, int days) {
        return type.checked(
                type.accepted() + ", at most " + days + " d",
                d -> d.compareTo(Duration.ofDays(days)) > 0
                        ? "must be at most " + days + " d (was '" + Durations.format(d) + "')"
                        : null);
    }

    private static Duration parseDuration(String text) {
        String v = nonEmpty(text);
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "must be a duration such as '30 s', '5 min', '6 h' or '7 d' (was '" + v + "')");
        }
    }

    private static String nonEmpty(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return text.strip();
    }
}
