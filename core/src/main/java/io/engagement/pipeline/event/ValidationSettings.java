package io.engagement.pipeline.event;

import io.engagement.pipeline.settings.Setting;
import io.engagement.pipeline.settings.SettingType;
import io.engagement.pipeline.settings.SettingValues;
import java.time.Duration;
import java.util.List;

/**
 * The validation limits, declared once: the job validates what it reads and the service what it is
 * sent with the same settings, so an event the tracking API accepts is one the job accepts.
 */
public final class ValidationSettings {

    /** Fixed in code, not a setting. */
    public static final int MAX_ID_LENGTH = 128;

    // A larger skew lets one client with a fast clock push the watermark ahead, making every honest
    // event on its partition late.
    public static final Setting<Duration> MAX_FUTURE_SKEW = Setting.of(
                    "validation.max-future-skew",
                    "5 min",
                    SettingType.atMostDays(SettingType.duration(), 1),
                    "events further than this in the future are rejected")
            .accepting("duration from 0 to 1 d (a larger skew lets one client with a fast clock push the watermark"
                    + " ahead of everyone else's events)");

    // ClickHouse DateTime starts in 1970; no client buffers events for a decade.
    public static final Setting<Duration> MAX_EVENT_AGE = Setting.of(
                    "validation.max-event-age",
                    "7 d",
                    SettingType.atMostDays(SettingType.positiveDuration(), 3650),
                    "events older than this are rejected")
            .accepting("positive duration, at most 3650 d (ClickHouse `DateTime` starts in 1970)");

    // Bounded so that window sums cannot overflow.
    public static final Setting<Duration> MAX_WATCH_TIME = Setting.of(
            "validation.max-watch-time",
            "12 h",
            SettingType.atMostDays(SettingType.positiveDuration(), 7),
            "largest accepted `watch_time_ms`, and `total_watch_time_ms`, of one event");

    public static final Setting<Duration> MAX_CONTENT_DURATION = Setting.of(
            "validation.max-content-duration",
            "24 h",
            SettingType.atMostDays(SettingType.positiveDuration(), 7),
            "largest accepted `content_duration_ms`");

    // The dead-letter payload keeps 64 Ki characters; a bound of 16 MiB keeps one message's parse from
    // taking a TaskManager's memory.
    public static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.of(
            "validation.max-message-bytes",
            String.valueOf(ValidationRules.DEFAULT_MAX_MESSAGE_BYTES),
            SettingType.integer(1024, 16 * 1024 * 1024),
            "larger messages are dead-lettered as `message_too_large` before they are parsed; also the parser's"
                    + " longest string and document");

    public static final List<Setting<?>> ALL =
            List.of(MAX_FUTURE_SKEW, MAX_EVENT_AGE, MAX_WATCH_TIME, MAX_CONTENT_DURATION, MAX_MESSAGE_BYTES);

    private ValidationSettings() {}

    /** The rules of {@code values}; null members where a value was refused (recorded there as a problem). */
    public static ValidationRules rules(SettingValues values) {
        Duration skew = values.get(MAX_FUTURE_SKEW);
        Duration age = values.get(MAX_EVENT_AGE);
        Duration watch = values.get(MAX_WATCH_TIME);
        Duration content = values.get(MAX_CONTENT_DURATION);
        Integer bytes = values.get(MAX_MESSAGE_BYTES);
        return new ValidationRules(skew, age, watch, content, MAX_ID_LENGTH, bytes == null ? 0 : bytes);
    }
}
