package dev.roster.core;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** Creates Roster's topics; topics that already exist are left as they are. */
public final class TopicSetup {
    private TopicSetup() {
    }

    /**
     * @param partitions        partitions of the pool-keyed topics (events, heartbeats, snapshots)
     * @param replicationFactor empty = the broker's default
     */
    public static void createAll(Admin admin, int partitions, Optional<Short> replicationFactor) {
        for (Topic<?, ?> topic : Topics.ALL) {
            NewTopic newTopic = new NewTopic(topic.name(), Optional.of(partitions), replicationFactor)
                    .configs(topic.config());
            try {
                admin.createTopics(List.of(newTopic)).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + topic.name() + ": " + e.getCause(), e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
            }
        }
    }
}
