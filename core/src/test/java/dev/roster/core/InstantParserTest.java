package dev.roster.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The short way must give what {@link Instant#parse} gives, value or error, for any text. */
class InstantParserTest {
    private static void assertSameAsInstantParse(String text) {
        Instant expected;
        try {
            expected = Instant.parse(text);
        } catch (DateTimeParseException e) {
            DateTimeParseException thrown = catchThrowableOfType(() -> InstantParser.parse(text),
                    DateTimeParseException.class);
            assertThat(thrown).as("%s", text).isNotNull();
            assertThat(thrown.getMessage()).as("%s", text).isEqualTo(e.getMessage());
            return;
        }
        assertThat(InstantParser.parse(text)).as("%s", text).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T00:00:00Z", "2026-01-01T00:00:00.010Z", "2026-11-27T10:00:00.123456789Z",
            "2024-02-29T23:59:59.5Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z"})
    void takesTheShortWayForWhatRosterWrites(String text) {
        assertThat(InstantParser.parseCanonical(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T24:00:00Z", "2026-01-01T23:59:60Z", "2026-01-01t00:00:00z",
            "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z", "+12026-01-01T00:00:00Z", "2023-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z", "2026-01-01T00:00:00.1234567891Z", "2026-13-01T00:00:00Z", "2026-01-01T00:00Z",
            "2026-01-01 00:00:00Z", "", "now", "2026-01-01T00:00:00\u0661Z"})
    void leavesEverythingElseToInstantParse(String text) {
        assertThat(InstantParser.parseCanonical(text)).isNull();
        assertSameAsInstantParse(text);
    }

    @Test
    void givesWhatInstantParseGivesForRandomInstantsAndNearMisses() {
        Random random = new Random(11);
        String alphabet = "0123456789-:T.Zz+ 9";
        for (int i = 0; i < 100_000; i++) {
            // Any instant of years 0-9999 at nanosecond precision, printed as Instant.toString prints it...
            Instant instant = Instant.ofEpochSecond(-62_167_219_200L + (long) (random.nextDouble() * 315_537_897_600L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            StringBuilder text = new StringBuilder(instant.toString());
            // ...and often one character of it changed, to come near every edge of the form.
            if (random.nextBoolean()) {
                text.setCharAt(random.nextInt(text.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertSameAsInstantParse(text.toString());
        }
    }
}
