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
 * Where a program's settings come from, the same engine for the job, the service and the tools: in
 * increasing precedence the declared defaults, a properties file ({@code --config-file} or
 * {@code ENGAGEMENT_CONFIG_FILE}; the job only, see {@link #withConfigFile}), environment variables
 * ({@link Setting#envName()}) and program arguments ({@code --key value} or {@code --key=value}). With
 * Kafka client properties on, {@code kafka.properties.<name>} keys (and
 * {@code ENGAGEMENT_KAFKA_PROPERTIES_<NAME>}) are accepted too ({@link KafkaClientProperties}). Secrets
 * are refused as arguments (the Flink web UI and {@code ps} show those); a renamed setting or variable
 * fails naming its new name, in any source. Every problem is collected; {@link
 * SettingValues#throwIfInvalid} reports them together.
 */
public final class SettingSources {

    public static final String CONFIG_FILE = "config-file";
    public static final String CONFIG_FILE_ENV = Setting.ENV_PREFIX + "CONFIG_FILE";

    private final Map<String, Setting<?>> declared;
    private final Map<String, String> keyOfVariable;
    private final boolean kafkaProperties;
    private final boolean configFile;
    private final boolean sharedFile;
    private final Map<String, String> renamedKeys;
    private final Map<String, String> renamedVariables;

    private SettingSources(
            Map<String, Setting<?>> declared,
            boolean kafkaProperties,
            boolean configFile,
            boolean sharedFile,
            Map<String, String> renamedKeys,
            Map<String, String> renamedVariables) {
        this.declared = declared;
        this.keyOfVariable = new LinkedHashMap<>();
        declared.values().forEach(setting -> keyOfVariable.put(setting.envName(), setting.key()));
        this.kafkaProperties = kafkaProperties;
        this.configFile = configFile;
        this.sharedFile = sharedFile;
        this.renamedKeys = Map.copyOf(renamedKeys);
        this.renamedVariables = Map.copyOf(renamedVariables);
    }

    /** The sources of {@code settings}: defaults, environment and arguments. */
    public static SettingSources of(List<Setting<?>> settings) {
        Map<String, Setting<?>> declared = new LinkedHashMap<>();
        settings.forEach(setting -> {
            if (declared.put(setting.key(), setting) != null) {
                throw new IllegalArgumentException("setting " + setting.key() + " declared twice");
            }
        });
        return new SettingSources(declared, false, false, false, Map.of(), Map.of());
    }

    /** These sources, also taking {@code kafka.properties.*}. */
    public SettingSources withKafkaProperties() {
        return new SettingSources(declared, true, configFile, sharedFile, renamedKeys, renamedVariables);
    }

    /**
     * These sources, also reading a properties file. Only the job reads one: its unknown keys fail, so a
     * file is one program's, and the service and the tools share the job's environment instead.
     */
    public SettingSources withConfigFile() {
        return new SettingSources(declared, kafkaProperties, true, false, renamedKeys, renamedVariables);
    }

    /**
     * These sources, also taking from the job's file ({@code ENGAGEMENT_CONFIG_FILE}, when the program
     * shares the job's environment) the settings this program declares, except secrets (the job's file
     * holds references the job resolves); the file's other keys are the job's and are ignored.
     */
    public SettingSources withSharedConfigFile() {
        return new SettingSources(declared, kafkaProperties, false, true, renamedKeys, renamedVariables);
    }

    /**
     * These sources, refusing earlier keys (as arguments, in the file, and their derived variables) with
     * a message naming the current key.
     */
    public SettingSources renamingKeys(Map<String, String> earlierToCurrentKey) {
        return new SettingSources(
                declared, kafkaProperties, configFile, sharedFile, earlierToCurrentKey, renamedVariables);
    }

    /** These sources, refusing earlier environment variables with a message naming the current one. */
    public SettingSources renamingVariables(Map<String, String> earlierVariableToCurrentKey) {
        return new SettingSources(
                declared, kafkaProperties, configFile, sharedFile, renamedKeys, earlierVariableToCurrentKey);
    }

    /** The settings' texts from every source; problems (unknown keys, secrets as arguments) are collected. */
    public SettingValues read(String[] args, Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        declared.values().forEach(setting -> values.put(setting.key(), setting.defaultValue()));
        Map<String, String> cli = arguments(args, problems);
        boolean argumentProblems = !problems.isEmpty();
        String file = configFile ? cli.remove(CONFIG_FILE) : null;
        if (file == null && (configFile || sharedFile)) {
            file = env.get(CONFIG_FILE_ENV);
        }
        if (file != null) {
            values.putAll(file(Path.of(file), problems));
        }
        env.forEach((name, value) -> {
            String key = keyOfVariable.get(name);
            if (key != null) {
                values.put(key, value);
            }
        });
        Map<String, String> earlierVariables = new LinkedHashMap<>(renamedVariables);
        renamedKeys.forEach((earlier, current) -> earlierVariables.put(Setting.envName(earlier), current));
        earlierVariables.forEach((variable, current) -> {
            if (env.containsKey(variable)) {
                problems.add(variable + " was renamed " + Setting.envName(current) + " (setting " + current + ")");
            }
        });
        if (kafkaProperties) {
            values.putAll(KafkaClientProperties.fromEnv(env));
        }
        values.putAll(cli);
        return new SettingValues(values, env, problems, argumentProblems);
    }

    /** {@code --help}: every setting with its meaning, default and environment variable. */
    public String usage() {
        StringBuilder sb = new StringBuilder("Settings (--key value, or the environment variable ENGAGEMENT_KEY"
                + (configFile ? ", or --config-file file.properties" : "") + "):\n");
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
                            + KafkaClientProperties.ENV_PREFIX + "<NAME>; secrets only from the environment"
                            + (configFile ? " or --config-file" : "")));
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
            if (renamedKeys.containsKey(key)) {
                problems.add("setting --" + key + " was renamed --" + renamedKeys.get(key));
                continue;
            }
            if (!isSetting(key) && !(configFile && key.equals(CONFIG_FILE))) {
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
            if (renamedKeys.containsKey(key)) {
                problems.add(CONFIG_FILE + " " + path + ": setting '" + key + "' was renamed '" + renamedKeys.get(key)
                        + "'");
            } else if (sharedFile && (!declared.containsKey(key) || isSecret(key))) {
                continue; // the job's setting, or a secret reference only the job resolves
            } else if (!isSetting(key)) {
                problems.add(CONFIG_FILE + " " + path + ": unknown setting '" + key + "'");
            } else {
                values.put(key, props.getProperty(key));
            }
        }
        return values;
    }
}
