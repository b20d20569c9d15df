package dev.roster.history;

import dev.roster.core.JsonSerde;
import dev.roster.core.MemberSet;

/** How the fold's state is kept in its store and changelog. */
final class MemberSetSerde {
    static final JsonSerde<MemberSet> SERDE = new JsonSerde<>(MemberSet.class);

    private MemberSetSerde() {
    }
}
