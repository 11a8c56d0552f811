package io.engagement.pipeline.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {

    @Test
    void referencesAreParsedAndEverythingElseIsNot() {
        assertEquals(
                "${env:CH_PASSWORD}", SecretRef.parse("s", "${env:CH_PASSWORD}").toString());
        assertEquals(
                "${file:/etc/secrets/ch}",
                SecretRef.parse("s", " ${file:/etc/secrets/ch} ").toString());
        assertNull(SecretRef.parse("s", "hunter2"));
        assertNull(SecretRef.parse("s", "${vault:x}"));
        assertNull(SecretRef.parse("s", "prefix ${env:X}"));
        assertNull(SecretRef.parse("s", null));
    }

    @Test
    void aReferenceIsResolvedWhereItIsUsedAndNamesTheSettingWhenItCannotBe(@TempDir Path dir) throws Exception {
        assertEquals("pw", SecretRef.env("clickhouse.password", "CH").resolve(Map.of("CH", "pw")));
        ConfigException unset = assertThrows(
                ConfigException.class,
                () -> SecretRef.env("clickhouse.password", "CH").resolve(Map.of()));
        assertTrue(
                unset.getMessage().startsWith("clickhouse.password: environment variable CH is not set"),
                unset.getMessage());

        Path file = Files.writeString(dir.resolve("secret"), "s3cret\r\n");
        assertEquals("s3cret", SecretRef.file("k", file.toString()).resolve(Map.of()));
        assertEquals("", SecretRef.none("k").resolve(Map.of()));
        ConfigException missing = assertThrows(
                ConfigException.class,
                () -> SecretRef.file("k", dir.resolve("none").toString()).resolve());
        assertTrue(missing.getMessage().startsWith("k: cannot read the secret file"), missing.getMessage());
    }

    @Test
    void aSerializedReferenceHoldsNoValue(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "value-that-must-not-travel");
        byte[] bytes = InstantiationUtil.serializeObject(SecretRef.file("k", file.toString()));
        assertFalse(
                new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("value-that-must-not-travel"));
        assertEquals("(a value)", SecretRef.literal("k", "x").toString(), "a literal never prints its value");
    }
}
