package dev.roster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

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

    /** The patterns the name and IPv4 checks are written after: the checks must accept exactly what these match. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    /** Random strings of 0 to {@code maxLength} characters of {@code alphabet}; fixed seed, so failures repeat. */
    private static String[] randomStrings(long seed, String alphabet, int maxLength, int count) {
        Random random = new Random(seed);
        String[] strings = new String[count];
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings[i] = s.toString();
        }
        return strings;
    }

    @Test
    void nameCheckAcceptsExactlyWhatItsPatternMatches() {
        for (String s : randomStrings(1, "aZ09._-/ #\n\u00e9\u0000:@`[{", 6, 200_000)) {
            assertThat(Fields.isName(s)).as("%s", Fields.quote(s)).isEqualTo(NAME.matcher(s).matches());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "1.22.133.249", "199.200.250.9"})
    void ipv4CheckAcceptsDottedQuads(String address) {
        assertThat(Fields.isIpv4(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3", "01.2.3.4", "1.2.3.00", "256.1.1.1",
            "1.2.3.260", "1000.1.1.1", "1.2.3.4 ", "1.2.3.a", "\u0661.2.3.4"})
    void ipv4CheckRefusesAnythingElse(String address) {
        assertThat(Fields.isIpv4(address)).isFalse();
    }

    @Test
    void ipv4CheckAcceptsExactlyWhatItsPatternMatches() {
        // Three to five parts of up to four characters, mostly digits, so that many come close to a quad.
        Random random = new Random(2);
        String[] parts = randomStrings(3, "0123456789012345a", 4, 1000);
        for (int i = 0; i < 300_000; i++) {
            StringBuilder s = new StringBuilder(parts[random.nextInt(parts.length)]);
            for (int n = 2 + random.nextInt(3); n > 0; n--) {
                s.append('.').append(parts[random.nextInt(parts.length)]);
            }
            assertThat(Fields.isIpv4(s.toString())).as("%s", s).isEqualTo(IPV4.matcher(s).matches());
        }
    }

    @Test
    void quoteEscapesControlAndNonAsciiCharacters() {
        assertThat(Fields.quote("a\nb\"\u00e9")).isEqualTo("\"a\\u000ab\\\"\\u00e9\"");
    }
}
