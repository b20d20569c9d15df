package dev.roster.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the fold over thousands of random event sequences. Seeds are fixed, so a failure is
 * reproducible: the message names the seed.
 */
class FoldPropertiesTest {
    private static final int SEQUENCES = 3000;
    private static final int LENGTH = 60;
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");
    private static final String[] MEMBERS = {"s1", "s2", "s3", "s4"};

    /** A random sequence of events of one pool, with duplicates of earlier events mixed in. */
    static List<MemberEvent> sequence(long seed) {
        Random random = new Random(seed);
        List<MemberEvent> events = new ArrayList<>();
        for (int i = 0; i < LENGTH; i++) {
            if (!events.isEmpty() && random.nextInt(8) == 0) {
                events.add(events.get(random.nextInt(events.size())));
                continue;
            }
            String member = MEMBERS[random.nextInt(MEMBERS.length)];
            long incarnation = 1 + random.nextInt(3);
            String id = "e" + seed + "-" + i;
            events.add(switch (random.nextInt(6)) {
                case 0, 1 -> new MemberJoined(id, "web", member, incarnation, AT, "t", "10.0.0." + (1 + random.nextInt(3)),
                        8080 + random.nextInt(2), random.nextInt(3) * 50, Map.of());
                case 2 -> new MemberLeft(id, "web", member, incarnation, AT, "t");
                case 3 -> new MemberFailed(id, "web", member, incarnation, AT, "t", "silent");
                case 4 -> random.nextBoolean() ? new MemberRecovered(id, "web", member, incarnation, AT, "t")
                        : new MemberDraining(id, "web", member, incarnation, AT, "t");
                default -> new MemberUpdated(id, "web", member, incarnation, AT, "t", null, null, random.nextInt(3) * 10,
                        null);
            });
        }
        return events;
    }

    private static MemberSet replay(List<MemberEvent> events) {
        Replay replay = new Replay();
        events.forEach(replay::apply);
        return replay.pool("web").orElse(MemberSet.empty("web"));
    }

    @Test
    void foldIsDeterministic() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            List<MemberEvent> events = sequence(seed);
            assertThat(replay(events)).as("seed %d", seed).isEqualTo(replay(sequence(seed)));
        }
    }

    @Test
    void versionGrowsByExactlyOnePerChangeAndNeverOtherwise() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            MemberSet set = MemberSet.empty("web");
            for (MemberEvent event : sequence(seed)) {
                MemberSet next = Fold.apply(set, event);
                long expected = next.members().equals(set.members()) ? set.version() : set.version() + 1;
                assertThat(next.version()).as("seed %d, event %s", seed, event).isEqualTo(expected);
                set = next;
            }
        }
    }

    @Test
    void repeatedEventIdsChangeNothingWhereverTheyComeBack() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            List<MemberEvent> events = sequence(seed);
            Random random = new Random(seed);
            List<MemberEvent> withRepeats = new ArrayList<>(events);
            for (int i = 0; i < 10; i++) {
                withRepeats.add(random.nextInt(withRepeats.size() + 1), events.get(random.nextInt(events.size())));
            }
            // Only the first occurrence of an id counts, wherever the later copies land.
            List<MemberEvent> firstOccurrences = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (MemberEvent event : withRepeats) {
                if (seen.add(event.id())) {
                    firstOccurrences.add(event);
                }
            }
            assertThat(replay(withRepeats)).as("seed %d", seed).isEqualTo(replay(firstOccurrences));
        }
    }

    /** The next set shares most of its maps with the one before: folding must never change an earlier set. */
    @Test
    void foldingLeavesEverySetBeforeAsItWas() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            List<MemberSet> sets = new ArrayList<>();
            List<String> asFirstSeen = new ArrayList<>();
            MemberSet set = MemberSet.empty("web");
            for (MemberEvent event : sequence(seed)) {
                set = Fold.apply(set, event);
                sets.add(set);
                asFirstSeen.add(set.toString());
            }
            for (int i = 0; i < sets.size(); i++) {
                assertThat(sets.get(i).toString()).as("seed %d, set %d", seed, i).isEqualTo(asFirstSeen.get(i));
            }
        }
    }

    @Test
    void staleIncarnationChangesNothing() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            MemberSet set = replay(sequence(seed));
            for (String member : MEMBERS) {
                Long known = set.incarnations().get(member);
                if (known == null || known == 0) {
                    continue;
                }
                long stale = known - 1;
                for (MemberEvent event : List.<MemberEvent>of(
                        new MemberJoined("x1", "web", member, stale, AT, "t", "10.9.9.9", 1, 1, Map.of()),
                        new MemberLeft("x2", "web", member, stale, AT, "t"),
                        new MemberFailed("x3", "web", member, stale, AT, "t", ""),
                        new MemberRecovered("x4", "web", member, stale, AT, "t"),
                        new MemberDraining("x5", "web", member, stale, AT, "t"),
                        new MemberUpdated("x6", "web", member, stale, AT, "t", null, 9, null, null))) {
                    assertThat(Fold.apply(set, event)).as("seed %d, event %s", seed, event).isSameAs(set);
                }
            }
        }
    }

    @Test
    void foldingAPrefixThenTheRestEqualsFoldingTheWhole() {
        for (long seed = 0; seed < SEQUENCES; seed++) {
            List<MemberEvent> events = sequence(seed);
            int cut = new Random(seed).nextInt(events.size() + 1);
            Replay split = new Replay();
            events.subList(0, cut).forEach(split::apply);
            MemberSet middle = split.pool("web").orElse(MemberSet.empty("web"));
            // The state after the prefix is all the rest needs: nothing else is carried over but the ids.
            assertThat(middle).isEqualTo(replay(events.subList(0, cut)));
            events.subList(cut, events.size()).forEach(split::apply);
            assertThat(split.pool("web").orElse(MemberSet.empty("web"))).as("seed %d, cut %d", seed, cut)
                    .isEqualTo(replay(events));
        }
    }
}
