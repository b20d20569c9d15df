package dev.roster.cli;

import dev.roster.core.Topic;
import dev.roster.core.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** What a role does about Roster's topics before it starts: create them, or wait until someone has. */
final class TopicsAtStart {
    private static final Logger LOG = LoggerFactory.getLogger(TopicsAtStart.class);

    private TopicsAtStart() {
    }

    /**
     * @param needed the topics the role reads or writes: with ACLs it may see no others, so it waits for these only
     * @param create create every missing Roster topic first (the client then needs the right to create topics)
     */
    static void ensure(KafkaOptions kafka, TopicOptions topics, boolean create, List<Topic<?, ?>> needed, String role)
            throws InterruptedException {
        int partitions = topics.partitions();
        var replicationFactor = topics.replicationFactor();
        try (Admin admin = kafka.admin()) {
            if (create) {
                TopicSetup.createAll(admin, partitions, replicationFactor);
                LOG.info("{}: Roster's topics created where missing ({} partitions each)", role, partitions);
            }
            RosterTopics.awaitAll(admin, needed, kafka.bootstrapServer, role);
        }
    }
}
