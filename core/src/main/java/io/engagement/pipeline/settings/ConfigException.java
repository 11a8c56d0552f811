package io.engagement.pipeline.settings;

/** Invalid job configuration; the message names every bad setting. Thrown at start-up, before any I/O. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
