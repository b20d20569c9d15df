package dev.roster.history;

import dev.roster.core.JsonSerde;
import dev.roster.core.Member;

/** How a member of a checkpoint is kept in its store and changelog. */
final class MemberSerde {
    static final JsonSerde<Member> SERDE = new JsonSerde<>(Member.class);

    private MemberSerde() {
    }
}
