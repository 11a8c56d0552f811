package io.engagement.pipeline.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where a program's settings come from, the same for the job, the service and the tools: in
 * increasing precedence the declared defaults, a properties file ({@code --config-file} or
 * {@code ENGAGEMENT_CONFIG_FILE}), environment variables ({@link Setting#envName()}) and program
 * arguments ({@code --key value} or {@code --key=value}). With Kafka client properties on,
 * {@code kafka.properties.<name>} keys (and {@code ENGAGEMENT_KAFKA_PROPERTIES_<NAME>}) are accepted
 * too ({@link KafkaClientProperties}). Secrets are refused as arguments (the Flink web UI and
 * {@code ps} show those); a renamed setting fails naming its new key, in any source. Every problem
 * is collected; {@link SettingValues#throwIfInvalid} reports them together.
 */
public final class SettingSources {

    public static final String CONFIG_FILE = "config-file";
    public static final String CONFIG_FILE_ENV = Setting.ENV_PREFIX + "CONFIG_FILE";

    private final Map<String, Setting<?>> declared = new LinkedHashMap<>();
    private final boolean kafkaProperties;
    private final Map<String, String> renamed;

    /**
     * @param declared the program's settings
     * @param kafkaProperties whether {@code kafka.properties.*} are accepted
     * @param renamed earlier keys -> their current key, refused with a message naming the new key
     */
    public SettingSources(List<Setting<?>> declared, boolean kafkaProperties, Map<String, String> renamed) {
        declared.forEach(setting -> {
            if (this.declared.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.key() + " declared twice");
            }
        });
        this.kafkaProperties = kafkaProperties;
        this.renamed = Map.copyOf(renamed);
    }

    public List<Setting<?>> declared() {
        return List.copyOf(declared.values());
    }

    /** The settings' texts from every source; problems (unknown keys, secrets as arguments) are collected. */
    public SettingValues read(String[] args, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        declared.values().forEach(setting -> values.put(setting.key(), setting.defaultValue()));
        Map<String, String> cli = arguments(args, problems);
        String file = cli.remove(CONFIG_FILE);
        if (file == null) {
            file = env.get(CONFIG_FILE_ENV);
        }
        if (file != null) {
            values.putAll(file(Path.of(file), problems));
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            String key = envToKey(name);
            if (key != null) {
                fromEnv.put(key, value);
            }
        });
        renamed.forEach((old, current) -> {
            if (env.containsKey(Setting.envName(old))) {
                problems.add(Setting.envName(old) + " was renamed " + Setting.envName(current) + " (setting " + current
                        + ")");
            }
        });
        values.putAll(fromEnv);
        if (kafkaProperties) {
            values.putAll(KafkaClientProperties.fromEnv(env));
        }
        values.putAll(cli);
        return new SettingValues(values, fromEnv, file != null, env, problems);
    }

    /** {@code --help}: every setting with its meaning, default and environment variable. */
    public String usage() {
        StringBuilder sb = new StringBuilder(
                "Settings (--key value, environment variable ENGAGEMENT_KEY, or --config-file file.properties):\n");
        declared.values()
                .forEach(setting -> sb.append(String.format(
                        "  --%-36s %s (default: %s; %s)%n",
                        setting.key(),
                        SettingsDocumentation.plain(setting.description()),
                        setting.defaultValue().isEmpty() ? "empty" : setting.defaultValue(),
                        setting.isSecret()
                                ? "a secret: " + setting.envName() + " or the file only"
                                : setting.envName())));
        if (kafkaProperties) {
            sb.append(String.format(
                    "  --%-36s %s%n",
                    KafkaClientProperties.PREFIX + "<name>",
                    "any Kafka client property (security.protocol, sasl.*, ssl.*, client.id, compression.type); env "
                            + KafkaClientProperties.ENV_PREFIX + "<NAME>; secrets only from env or --config-file"));
        }
        return sb.toString();
    }

    boolean isSetting(String key) {
        return declared.containsKey(key)
                || (kafkaProperties
                        && key.startsWith(KafkaClientProperties.PREFIX)
                        && key.length() > KafkaClientProperties.PREFIX.length());
    }

    public boolean isSecret(String key) {
        Setting<?> setting = declared.get(key);
        if (setting != null) {
            return setting.isSecret();
        }
        return kafkaProperties
                && key.startsWith(KafkaClientProperties.PREFIX)
                && KafkaClientProperties.isSecret(key.substring(KafkaClientProperties.PREFIX.length()));
    }

    /** The environment variable a secret is read from. */
    public static String secretEnvName(String key) {
        return key.startsWith(KafkaClientProperties.PREFIX)
                ? KafkaClientProperties.envName(key.substring(KafkaClientProperties.PREFIX.length()))
                : Setting.envName(key);
    }

    private String envToKey(String name) {
        if (!name.startsWith(Setting.ENV_PREFIX)) {
            return null;
        }
        for (Setting<?> setting : declared.values()) {
            if (setting.envName().equals(name)) {
                return setting.key();
            }
        }
        return null;
    }

    private Map<String, String> arguments(String[] args, List<String> problems) {
        Map<String, String> cli = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                problems.add("unexpected argument '" + arg + "' (settings are given as --key value)");
                continue;
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add("setting --" + key + " has no value");
                continue;
            }
            if (renamed.containsKey(key)) {
                problems.add("setting --" + key + " was renamed --" + renamed.get(key));
                continue;
            }
            if (!isSetting(key) && !key.equals(CONFIG_FILE)) {
                problems.add("unknown setting --" + key);
                continue;
            }
            if (isSecret(key)) {
                problems.add("--" + key
                        + " is a secret and cannot be a program argument (the Flink web UI and ps show those); set "
                        + secretEnvName(key) + " or put it in --config-file");
                continue;
            }
            cli.put(key, value);
        }
        return cli;
    }

    private Map<String, String> file(Path path, List<String> problems) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path)) {
            props.load(reader);
        } catch (IOException e) {
            problems.add(CONFIG_FILE + ": cannot read " + path + ": " + e.getMessage());
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (renamed.containsKey(key)) {
                problems.add(
                        CONFIG_FILE + " " + path + ": setting '" + key + "' was renamed '" + renamed.get(key) + "'");
            } else if (!isSetting(key)) {
                problems.add(CONFIG_FILE + " " + path + ": unknown setting '" + key + "'");
            } else {
                values.put(key, props.getProperty(key));
            }
        }
        return values;
    }
}
