package dev.roster.history;

import dev.roster.core.ConfigVersion;
import dev.roster.core.Fields;
import dev.roster.core.Json;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Keeps every record of {@code roster.config-versions} in the global {@link Stores#CONFIG_VERSIONS}
 * store, by instance and version, and indexes the applied ones by time so that "which config was
 * live at t" is one short reverse range scan. Every instance of the history-api runs this over the whole
 * topic, so any of them answers config questions alone.
 */
final class ConfigVersionsProcessor implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigVersionsProcessor.class);
    private static final byte[] NOTHING = new byte[0];

    private final FoldMetrics metrics;
    private KeyValueStore<String, byte[]> store;

    ConfigVersionsProcessor(FoldMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(Stores.CONFIG_VERSIONS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ConfigVersion version;
        try {
            version = Json.MAPPER.readValue(record.value(), ConfigVersion.class);
            Fields.name("instance", version.instance());
            if (version.version() < 1 || version.at() == null) {
                throw new IllegalArgumentException("version must be 1 or more and at is required");
            }
        } catch (IOException | IllegalArgumentException e) {
            // Written by config-builder, never by hand: a record we cannot read is a bug to see in the log,
            // not a reason to stop answering about all the others.
            LOG.warn("skipping an unreadable record of roster.config-versions (key {}): {}", record.key(), e.toString());
            return;
        }
        store.put(Stores.configKey(version.instance(), version.version()), record.value());
        if (ConfigVersion.APPLIED.equals(version.status())) {
            store.put(Stores.configTimeKey(version.instance(), version.at(), version.version()), NOTHING);
        }
        byte[] highest = store.get(Stores.configInstanceKey(version.instance()));
        if (highest == null || Long.parseLong(new String(highest, StandardCharsets.US_ASCII)) < version.version()) {
            store.put(Stores.configInstanceKey(version.instance()),
                    Long.toString(version.version()).getBytes(StandardCharsets.US_ASCII));
        }
        metrics.configVersion(version.status());
        if (version.reloadMillis() != null) {
            metrics.reload(version.reloadMillis());
        }
    }
}
