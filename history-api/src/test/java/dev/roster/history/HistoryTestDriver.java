package dev.roster.history;

import dev.roster.core.Admission;
import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;
import dev.roster.core.SnapshotFollower;
import dev.roster.core.Topic;
import dev.roster.core.Topics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The history topology on a {@link TopologyTestDriver}, and its topics with Roster's own serdes. */
final class HistoryTestDriver {
    private HistoryTestDriver() {
    }

    /** The whole history topology, its state under {@code stateDir}, global processing errors handled as in production. */
    static TopologyTestDriver start(Path stateDir, FoldMetrics metrics, DetectorSettings detector) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "history-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put("processing.exception.handler.global.enabled", true);
        return new TopologyTestDriver(HistoryTopology.build(metrics, detector), props);
    }

    /** The snapshot records written since the last call, followed: the pool as of each head, in order. */
    static List<PoolSnapshot> versions(TestOutputTopic<String, byte[]> snapshots, SnapshotFollower follower) {
        List<PoolSnapshot> versions = new ArrayList<>();
        for (KeyValue<String, byte[]> record : snapshots.readKeyValuesToList()) {
            if (follower.accept(record.key, record.value) == SnapshotFollower.Effect.VERSION) {
                versions.add(follower.snapshot(SnapshotFollower.poolOf(record.key)).orElseThrow());
            }
        }
        return versions;
    }

    static TestOutputTopic<String, byte[]> snapshots(TopologyTestDriver driver) {
        return output(driver, Topics.SNAPSHOTS);
    }

    /** The members a pool serves now, from its member rows. */
    static List<Member> members(TopologyTestDriver driver, String pool) {
        return FoldProcessor.currentMembers(driver.<String, dev.roster.core.MemberState>getKeyValueStore(Stores.POOL_MEMBERS),
                pool);
    }

    static <K, V> TestInputTopic<K, V> input(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    static <K, V> TestOutputTopic<K, V> output(TopologyTestDriver driver, Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
