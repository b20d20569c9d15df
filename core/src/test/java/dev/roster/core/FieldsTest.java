package dev.roster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldsTest {
    @ParameterizedTest
    @ValueSource(strings = {"s1", "web", "node-01.eu_west", "A", "0", "a.b-c_d"})
    void acceptsSafeNames(String name) {
        assertThat(Fields.name("member", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"s1\nbackend evil", "s1\r", "s 1", "s1#", "s\"1", "{s1}", "s1\\", "s\u00001", "s\u00e91",
            "-s1", ".s1", "_s1", "s1'", "s1;", "s1\t"})
    void rejectsUnsafeNames(String name) {
        assertThatThrownBy(() -> Fields.name("member", name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("member must match [A-Za-z0-9][A-Za-z0-9._-]*, was \"")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("\r");
    }

    @Test
    void rejectsOverlongName() {
        assertThatThrownBy(() -> Fields.name("pool", "a".repeat(65)))
                .hasMessage("pool must be at most 64 characters, was 65");
    }

    @Test
    void rejectsMissingName() {
        assertThatThrownBy(() -> Fields.name("pool", "")).hasMessage("pool is required");
        assertThatThrownBy(() -> Fields.name("pool", null)).hasMessage("pool is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.255", "::1", "fe80::1", "2001:db8::8a2e:370:7334", "web-1",
            "web-1.example.com", "localhost", "a.b.c."})
    void acceptsAddresses(String address) {
        assertThat(Fields.address("address", address)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3", "127.0.0.1:80", "host name", "-web", "web-", "web..example",
            "we_b", "h\u00f6st", "1.2.3.4\n", "::g", "[::1]", "a.b/c"})
    void rejectsAddresses(String address) {
        assertThatThrownBy(() -> Fields.address("address", address))
                .hasMessageStartingWith("address must be an IP literal or an RFC 1123 host name, was ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|port must be 1-65535, was 0", "65536|port must be 1-65535, was 65536", "-1|port must be 1-65535, was -1"})
    void rejectsPortsOutOfRange(int port, String message) {
        assertThatThrownBy(() -> Fields.port("port", port)).hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"1", "8080", "65535"})
    void acceptsPortsInRange(int port) {
        assertThat(Fields.port("port", port)).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"-1|weight must be 0-256, was -1", "257|weight must be 0-256, was 257"})
    void rejectsWeightsOutOfRange(int weight, String message) {
        assertThatThrownBy(() -> Fields.weight("weight", weight)).hasMessage(message);
    }

    @Test
    void quoteEscapesControlAndNonAsciiCharacters() {
        assertThat(Fields.quote("a\nb\"\u00e9")).isEqualTo("\"a\\u000ab\\\"\\u00e9\"");
    }
}
