package dev.roster.cli;

import dev.roster.agent.AgentSettings;
import dev.roster.config.ConfigBuilderSettings;
import dev.roster.history.HistoryApiSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings every role builds from --kafka-config print its passwords as [hidden], like Kafka does. */
class SettingsSecretsTest {
    static final Map<String, String> KAFKA = Map.of("security.protocol", "SASL_SSL",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"pw-4711\";",
            "ssl.truststore.password", "ts-4711");

    @Test
    void settingsOfEveryRoleHideKafkaSecrets() {
        List<Object> settings = List.of(
                AgentSettings.defaults("kafka:9092", "web", "web-1", "10.0.0.1", 8000).withKafka(KAFKA),
                HistoryApiSettings.defaults("kafka:9092", Path.of("state")).withKafka(KAFKA),
                ConfigBuilderSettings.defaults("kafka:9092", Path.of("work")).withKafkaProperties(KAFKA));
        for (Object setting : settings) {
            assertThat(setting.toString()).doesNotContain("4711")
                    .contains("sasl.jaas.config=[hidden]", "ssl.truststore.password=[hidden]", "security.protocol=SASL_SSL");
        }
    }
}
