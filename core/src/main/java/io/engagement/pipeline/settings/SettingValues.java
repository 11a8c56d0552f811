package io.engagement.pipeline.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The settings' texts as {@link SettingSources} found them, read as typed values. A value that does
 * not parse is recorded as a problem naming its key and read as null, so that every problem of a
 * configuration is reported at once ({@link #throwIfInvalid}).
 */
public final class SettingValues {

    private final Map<String, String> texts;
    private final Map<String, String> env;
    private final List<String> problems;
    private final boolean argumentProblems;

    SettingValues(Map<String, String> texts, Map<String, String> env, List<String> problems, boolean argumentProblems) {
        this.texts = texts;
        this.env = env;
        this.problems = new ArrayList<>(problems);
        this.argumentProblems = argumentProblems;
    }

    /** The value of {@code setting}, or null with a problem recorded when its text is not accepted. */
    public <T> T get(Setting<T> setting) {
        try {
            return setting.parse(texts.get(setting.key()));
        } catch (IllegalArgumentException e) {
            problems.add(setting.key() + " " + e.getMessage());
            return null;
        }
    }

    /** Every key's text: declared settings and {@code kafka.properties.*}. */
    public Map<String, String> texts() {
        return Collections.unmodifiableMap(texts);
    }

    public Map<String, String> environment() {
        return env;
    }

    /** Records a problem found by a check across settings, worded to name its setting. */
    public void problem(String problem) {
        problems.add(problem);
    }

    /** True when the program arguments themselves were refused (unknown, without value, a secret). */
    public boolean argumentProblems() {
        return argumentProblems;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @throws ConfigException listing every problem under {@code heading} */
    public void throwIfInvalid(String heading) {
        if (!problems.isEmpty()) {
            throw new ConfigException(heading + ":\n  " + String.join("\n  ", problems));
        }
    }
}
