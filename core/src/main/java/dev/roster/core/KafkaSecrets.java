package dev.roster.core;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Keeps Kafka client secrets ({@code sasl.jaas.config}, key and trust store passwords …) out of logs and
 * messages. Kafka itself prints such settings as {@code [hidden]}; this does the same for Roster's own
 * settings records, which carry the {@code --kafka-config} properties.
 */
public final class KafkaSecrets {
    /** What a secret value is shown as; the same text Kafka uses. */
    public static final String HIDDEN = "[hidden]";

    /** Every client setting Kafka itself types as a password. */
    private static final Set<String> PASSWORD_KEYS = passwordKeys();

    private KafkaSecrets() {
    }

    /**
     * Whether a client property holds a secret: a setting Kafka types as a password, or any name that
     * says so (listener- or mechanism-prefixed variants, custom login modules' options).
     */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return PASSWORD_KEYS.contains(key) || lower.contains("password") || lower.contains("jaas")
                || lower.contains("secret") || lower.contains("credential") || lower.contains("token")
                || lower.endsWith(".key");
    }

    /** A sorted copy with every secret value replaced by {@value #HIDDEN}. */
    public static Map<String, String> redact(Map<String, String> properties) {
        Map<String, String> shown = new TreeMap<>();
        properties.forEach((key, value) -> shown.put(key, isSecret(key) ? HIDDEN : value));
        return shown;
    }

    /**
     * A record's {@code toString()} with its {@code Map<String, String>} components redacted: what settings
     * records return instead of the default, which would print Kafka passwords.
     */
    public static String describe(Record record) {
        StringBuilder out = new StringBuilder(record.getClass().getSimpleName()).append('[');
        RecordComponent[] components = record.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            Object value;
            try {
                value = components[i].getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                value = "?";
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, String> strings = new TreeMap<>();
                map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
                value = redact(strings);
            }
            out.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=').append(value);
        }
        return out.append(']').toString();
    }

    private static Set<String> passwordKeys() {
        Set<String> keys = new HashSet<>();
        Stream.of(ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(def -> def.configKeys().values().stream())
                .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                .forEach(key -> keys.add(key.name));
        return Set.copyOf(keys);
    }
}
