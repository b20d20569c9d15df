package dev.roster.history;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.roster.core.ConfigVersion;
import dev.roster.core.Json;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Questions about config versions, from the global {@link Stores#CONFIG_VERSIONS} store: complete on
 * every instance.
 */
public final class ConfigQueries {
    /** Lines of context around each change of a diff, as {@code diff -u} shows. */
    static final int DIFF_CONTEXT = 3;

    private final StoreSource stores;

    public ConfigQueries(StoreSource stores) {
        this.stores = stores;
    }

    /** The HAProxy instances that published config versions, in name order. */
    public List<String> instances() {
        List<String> instances = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store().prefixScan("i/", new StringSerializer())) {
            it.forEachRemaining(entry -> instances.add(entry.key.substring(2)));
        }
        return instances;
    }

    /** A page of an instance's versions in version order, starting after {@code afterVersion}. */
    public Page<ConfigVersion> versions(String instance, long afterVersion, int limit) {
        List<ConfigVersion> versions = new ArrayList<>();
        String prefix = "v/" + instance + "/";
        long last = afterVersion;
        try (KeyValueIterator<String, byte[]> it = store().range(Stores.configKey(instance, afterVersion + 1),
                prefix + Stores.MAX_NUMBER)) {
            while (it.hasNext() && versions.size() < limit) {
                ConfigVersion version = read(it.next().value);
                versions.add(version);
                last = version.version();
            }
            return new Page<>(versions, it.hasNext() ? Long.toString(last) : null);
        }
    }

    public Optional<ConfigVersion> version(String instance, long version) {
        byte[] bytes = store().get(Stores.configKey(instance, version));
        return bytes == null ? Optional.empty() : Optional.of(read(bytes));
    }

    /**
     * The config that was live at {@code at}: the newest activation of an applied version at or before
     * it (a rejected version never went live).
     *
     * @return the version record and when it went live, or empty if nothing was live yet
     */
    public Optional<Live> liveAt(String instance, Instant at) {
        String prefix = "t/" + instance + "/";
        try (KeyValueIterator<String, byte[]> it = store().reverseRange(prefix,
                prefix + Stores.timeKey(at) + "/" + Stores.MAX_NUMBER)) {
            if (!it.hasNext()) {
                return Optional.empty();
            }
            KeyValue<String, byte[]> entry = it.next();
            String[] parts = entry.key.substring(prefix.length()).split("/");
            long version = Long.parseLong(parts[1]);
            return version(instance, version).map(record -> new Live(record, nanosToInstant(parts[0])));
        }
    }

    /** A version that was live, and since when. */
    public record Live(ConfigVersion record, Instant since) {
    }

    /** A unified diff from one config text to another, headed by their file names. */
    public static String diff(ConfigVersion from, ConfigVersion to) {
        List<String> original = lines(from.config());
        List<String> revised = lines(to.config());
        Patch<String> patch = DiffUtils.diff(original, revised);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(fileName(from), fileName(to), original, patch,
                DIFF_CONTEXT);
        return unified.isEmpty() ? "" : String.join("\n", unified) + "\n";
    }

    static String fileName(ConfigVersion version) {
        return String.format("haproxy-%06d.cfg", version.version());
    }

    private static List<String> lines(String text) {
        String[] parts = text.split("\n", -1);
        // "a\nb\n" is two lines, not two and an empty third.
        int count = text.endsWith("\n") ? parts.length - 1 : parts.length;
        return List.of(parts).subList(0, text.isEmpty() ? 0 : count);
    }

    private static Instant nanosToInstant(String nanos) {
        long value = Long.parseLong(nanos);
        return Instant.ofEpochSecond(value / 1_000_000_000L, value % 1_000_000_000L);
    }

    private static ConfigVersion read(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, ConfigVersion.class);
        } catch (IOException e) {
            throw new UncheckedIOException("config-versions store holds an unreadable entry", e);
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store() {
        return stores.store(Stores.CONFIG_VERSIONS);
    }
}
