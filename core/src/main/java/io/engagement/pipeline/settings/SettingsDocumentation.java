package io.engagement.pipeline.settings;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The tables of docs/configuration.md, written from the declarations: the docs cannot drift from the
 * code, because {@code ConfigurationDocsTest} compares each table with what this class writes.
 */
public final class SettingsDocumentation {

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\([^)]+\\)");

    private SettingsDocumentation() {}

    /** A markdown table of {@code settings}: key, default, environment variable, meaning, accepted values. */
    public static String table(List<Setting<?>> settings) {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | environment variable | meaning | accepted values |\n");
        sb.append("|---|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            sb.append("| `")
                    .append(s.key())
                    .append("` | ")
                    .append(s.defaultValue().isEmpty() ? "empty" : "`" + s.defaultValue() + "`")
                    .append(" | `")
                    .append(s.envName())
                    .append('`')
                    .append(s.isSecret() ? " (a secret: environment or file only)" : "")
                    .append(" | ")
                    .append(s.description().replace("|", "\\|"))
                    .append(" | ")
                    .append(s.accepted().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** A description for a terminal: markdown links as their text, no backticks. */
    public static String plain(String markdown) {
        return LINK.matcher(markdown).replaceAll("$1").replace("`", "");
    }
}
