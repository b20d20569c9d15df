package dev.roster.cli;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a role does about Roster's topics before it starts: create them, or wait until someone has. */
final class TopicsAtStart {
    private static final Logger LOG = LoggerFactory.getLogger(TopicsAtStart.class);

    private TopicsAtStart() {
    }

    static void ensure(KafkaOptions kafka, TopicOptions topics, boolean create, String role) throws InterruptedException {
        int partitions = topics.partitions();
        var replicationFactor = topics.replicationFactor();
        try (Admin admin = kafka.admin()) {
            if (create) {
                for (RosterTopics.State state : RosterTopics.create(admin, partitions, replicationFactor)) {
                    if (state.created()) {
                        LOG.info("{}: created topic {} ({} partitions, replication {})", role, state.name(),
                                state.partitions(), state.replicationFactor());
                    }
                }
            } else {
                RosterTopics.awaitAll(admin, kafka.bootstrapServer, role);
            }
        }
    }
}
