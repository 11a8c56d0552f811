package io.engagement.pipeline.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the settings write them ({@code 200 ms}, {@code 30 s}, {@code 10 min}, {@code 6 h},
 * {@code 7 d}): the grammar of Flink's {@code TimeUtils.parseDuration} (a whole number, optional
 * white space, a unit or its long names; no unit is milliseconds), parsed here without Flink classes,
 * because the HTTP service reads the job's {@code validation.*} settings and its jar has no Flink.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*([a-zµ]*)\\s*");

    private static final Map<String, java.util.function.LongFunction<Duration>> UNITS = Map.ofEntries(
            Map.entry("", Duration::ofMillis),
            Map.entry("ns", Duration::ofNanos),
            Map.entry("nano", Duration::ofNanos),
            Map.entry("nanos", Duration::ofNanos),
            Map.entry("nanosecond", Duration::ofNanos),
            Map.entry("nanoseconds", Duration::ofNanos),
            Map.entry("us", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("µs", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("micro", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("micros", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("microsecond", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("microseconds", n -> Duration.ofNanos(Math.multiplyExact(n, 1_000L))),
            Map.entry("ms", Duration::ofMillis),
            Map.entry("milli", Duration::ofMillis),
            Map.entry("millis", Duration::ofMillis),
            Map.entry("millisecond", Duration::ofMillis),
            Map.entry("milliseconds", Duration::ofMillis),
            Map.entry("s", Duration::ofSeconds),
            Map.entry("sec", Duration::ofSeconds),
            Map.entry("secs", Duration::ofSeconds),
            Map.entry("second", Duration::ofSeconds),
            Map.entry("seconds", Duration::ofSeconds),
            Map.entry("m", Duration::ofMinutes),
            Map.entry("min", Duration::ofMinutes),
            Map.entry("minute", Duration::ofMinutes),
            Map.entry("minutes", Duration::ofMinutes),
            Map.entry("h", Duration::ofHours),
            Map.entry("hour", Duration::ofHours),
            Map.entry("hours", Duration::ofHours),
            Map.entry("d", Duration::ofDays),
            Map.entry("day", Duration::ofDays),
            Map.entry("days", Duration::ofDays));

    private Durations() {}

    /** @throws IllegalArgumentException when {@code text} is not a duration (or overflows) */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        var unit = UNITS.get(m.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("unknown time unit in " + text);
        }
        try {
            return unit.apply(Long.parseLong(m.group(1)));
        } catch (NumberFormatException | ArithmeticException overflow) {
            throw new IllegalArgumentException("duration out of range: " + text);
        }
    }

    /** {@code d} in the largest unit that writes it whole: {@code 7 d}, {@code 90 min}, {@code 1500 ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000 == 0) {
            return ms / 86_400_000 + " d";
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms != 0 && ms % 1_000 == 0) {
            return ms / 1_000 + " s";
        }
        return ms + " ms";
    }
}
