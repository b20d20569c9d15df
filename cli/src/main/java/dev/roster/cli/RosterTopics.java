package dev.roster.cli;

import dev.roster.core.Topic;
import dev.roster.core.TopicSetup;
import dev.roster.core.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Roster's topics as a deployment sees them: created where missing, checked, or waited for. */
final class RosterTopics {
    private static final Logger LOG = LoggerFactory.getLogger(RosterTopics.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);
    /** Log the same reason to wait again after this long, so a stuck start stays visible. */
    private static final Duration REPEAT_WARNING = Duration.ofSeconds(30);

    /**
     * One topic as it is on the cluster.
     *
     * @param created whether this call created it (false: it was there already and was left as it is)
     */
    record State(String name, int partitions, int replicationFactor, boolean created) {
    }

    private RosterTopics() {
    }

    /**
     * Creates every Roster topic that does not exist yet ({@link TopicSetup#createAll}), then describes them all.
     *
     * @throws IllegalStateException if Kafka does not answer or refuses
     */
    static List<State> create(Admin admin, int partitions, Optional<Short> replicationFactor) {
        Set<String> before = names(admin);
        TopicSetup.createAll(admin, partitions, replicationFactor);
        Map<String, TopicDescription> described = describeWithLeaders(admin);
        List<State> states = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            TopicDescription description = described.get(topic.name());
            states.add(new State(topic.name(), description.partitions().size(),
                    description.partitions().get(0).replicas().size(), !before.contains(topic.name())));
        }
        return states;
    }

    /**
     * Events and heartbeats are both keyed by pool, and one history-api task must own a pool's events and its
     * heartbeats: that holds only when both topics have the same number of partitions.
     */
    static void requireCoPartitioned(List<State> states) {
        State events = find(states, Topics.EVENTS.name());
        State heartbeats = find(states, Topics.HEARTBEATS.name());
        if (events.partitions() != heartbeats.partitions()) {
            throw new IllegalStateException(events.name() + " has " + events.partitions() + " partitions but "
                    + heartbeats.name() + " has " + heartbeats.partitions()
                    + ": both are keyed by pool and must have the same number (alter the smaller one with kafka-topics.sh --alter)");
        }
    }

    /**
     * Waits until the given topics exist, saying once (and every 30 s after) what it waits for. Returns at once
     * when they all exist. Only topics the client may describe are seen: with ACLs, a role asks for its own.
     */
    static void awaitAll(Admin admin, List<Topic<?, ?>> needed, String bootstrapServers, String role)
            throws InterruptedException {
        String lastReason = null;
        long lastLogged = 0;
        while (true) {
            String reason;
            try {
                Set<String> existing = names(admin);
                List<String> missing = names(needed).stream().filter(name -> !existing.contains(name)).toList();
                if (missing.isEmpty()) {
                    if (lastReason != null) {
                        LOG.info("{}: Roster's topics exist now; starting", role);
                    }
                    return;
                }
                reason = "waiting for topics " + String.join(", ", missing)
                        + " (create them with 'roster topics create', or start " + role + " with --create-topics)";
            } catch (IllegalStateException e) {
                reason = "waiting for Kafka at " + bootstrapServers + ": " + e.getMessage();
            }
            long now = System.nanoTime();
            if (!reason.equals(lastReason) || now - lastLogged > REPEAT_WARNING.toNanos()) {
                LOG.warn("{}: {}", role, reason);
                lastReason = reason;
                lastLogged = now;
            }
            Thread.sleep(RETRY_DELAY.toMillis());
        }
    }

    /** Describes the topics once every partition has a leader: a topic just created may not have one yet. */
    private static Map<String, TopicDescription> describeWithLeaders(Admin admin) {
        long deadline = System.nanoTime() + KafkaOptions.ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = await(admin.describeTopics(names(Topics.ALL)).allTopicNames(),
                        "describe Roster's topics");
                boolean led = described.values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return described;
                }
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Roster's topics have partitions without a leader after "
                        + KafkaOptions.ADMIN_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while describing Roster's topics", e);
            }
        }
    }

    private static State find(List<State> states, String name) {
        return states.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("topic " + name + " was not described"));
    }

    private static List<String> names(List<Topic<?, ?>> topics) {
        return topics.stream().map(Topic::name).toList();
    }

    private static Set<String> names(Admin admin) {
        return await(admin.listTopics().names(), "list topics");
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String action) {
        try {
            return future.get(KafkaOptions.ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + action + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + action + ": Kafka did not answer within "
                    + KafkaOptions.ADMIN_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + action, e);
        }
    }
}
