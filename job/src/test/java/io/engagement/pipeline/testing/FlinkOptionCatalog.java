package io.engagement.pipeline.testing;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * Every {@link ConfigOption} declared as a static field of a Flink {@code *Options} class on the test
 * classpath (flink-core, flink-runtime, the RocksDB backend, flink-kubernetes, the Kafka connector
 * ...), by key, and every deprecated key with the key that replaced it. Built by reading the jars,
 * so a key Flink renamed or dropped in an upgrade is caught by the tests that use it.
 */
public final class FlinkOptionCatalog {

    private final Map<String, ConfigOption<?>> options = new HashMap<>();
    private final Map<String, String> deprecatedKeys = new HashMap<>();

    private FlinkOptionCatalog() {}

    public static FlinkOptionCatalog fromClasspath() throws Exception {
        FlinkOptionCatalog catalog = new FlinkOptionCatalog();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            if (file.getName().startsWith("flink-") && file.getName().endsWith(".jar")) {
                catalog.scan(file);
            }
        }
        if (catalog.options.size() < 500) {
            throw new IllegalStateException("found only " + catalog.options.size() + " Flink options on the classpath");
        }
        return catalog;
    }

    private void scan(File jar) throws Exception {
        try (JarFile jarFile = new JarFile(jar)) {
            Enumeration<JarEntry> entries = jarFile.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.startsWith("org/apache/flink/")
                        && name.endsWith("Options.class")
                        && !name.contains("/shaded/")) {
                    addOptionsOf(
                            name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
    }

    private void addOptionsOf(String className) {
        Class<?> type;
        try {
            type = Class.forName(className, true, FlinkOptionCatalog.class.getClassLoader());
        } catch (Throwable unloadable) { // an optional dependency of that class is missing: not ours
            return;
        }
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    field.setAccessible(true);
                    ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                    if (option == null) {
                        continue;
                    }
                    options.putIfAbsent(option.key(), option);
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        if (fallback.isDeprecated()) {
                            deprecatedKeys.putIfAbsent(fallback.getKey(), option.key());
                        }
                    }
                } catch (ReflectiveOperationException | RuntimeException inaccessible) {
                    // a module-protected field: skip
                }
            }
        }
    }

    /** The option of a current key, or null. */
    public ConfigOption<?> option(String key) {
        return options.get(key);
    }

    /** The key that replaced a deprecated one, or null. */
    public String replacementOf(String key) {
        return deprecatedKeys.get(key);
    }

    public int size() {
        return options.size();
    }
}
