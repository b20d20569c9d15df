package dev.roster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSecretsTest {
    @ParameterizedTest
    @CsvSource({
            "sasl.jaas.config, true",
            "listener.name.sasl_ssl.plain.sasl.jaas.config, true",
            "ssl.keystore.password, true",
            "ssl.key.password, true",
            "ssl.truststore.password, true",
            "ssl.keystore.key, true",
            "ssl.keystore.certificate.chain, true",
            "ssl.truststore.certificates, true",
            "sasl.client.callback.handler.class, false",
            "security.protocol, false",
            "sasl.mechanism, false",
            "ssl.truststore.location, false",
            "bootstrap.servers, false",
    })
    void knowsWhichClientSettingsAreSecret(String key, boolean secret) {
        assertThat(KafkaSecrets.isSecret(key)).isEqualTo(secret);
    }

    @Test
    void redactsSecretValuesOnly() {
        assertThat(KafkaSecrets.redact(Map.of("security.protocol", "SASL_SSL",
                "sasl.jaas.config", "PlainLoginModule required username=\"a\" password=\"s3cret\";",
                "ssl.truststore.password", "changeit")))
                .isEqualTo(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", "[hidden]",
                        "ssl.truststore.password", "[hidden]"));
    }

    record Example(String bootstrapServers, int port, Map<String, String> kafka) {
        @Override
        public String toString() {
            return KafkaSecrets.describe(this);
        }
    }

    @Test
    void describesARecordWithItsMapsRedacted() {
        Example example = new Example("kafka:9092", 8080, Map.of("sasl.jaas.config", "password=\"s3cret\"",
                "security.protocol", "SASL_SSL"));
        assertThat(example.toString()).isEqualTo(
                "Example[bootstrapServers=kafka:9092, port=8080, kafka={sasl.jaas.config=[hidden], security.protocol=SASL_SSL}]");
    }
}
