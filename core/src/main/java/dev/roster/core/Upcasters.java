package dev.roster.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Brings an event written with an older schema up to {@link MemberEvent#SCHEMA}, one step at a time,
 * on read: the log is never rewritten, and old events keep meaning what they meant when written.
 */
final class Upcasters {
    /** A step from schema {@code from} to {@code from + 1}, editing the JSON in place. */
    private interface Step {
        int from();

        void upcast(ObjectNode event);
    }

    /**
     * Schema 1 let a join leave out {@code weight} and {@code tags}, meaning the defaults of the time
     * (100 and none). Schema 2 writes them always, so that a later change of a default cannot change
     * what an old event says; reading a schema 1 join fills in the defaults of schema 1.
     */
    private static final Step EXPLICIT_JOIN_DEFAULTS = new Step() {
        @Override
        public int from() {
            return 1;
        }

        @Override
        public void upcast(ObjectNode event) {
            if (MemberJoined.TYPE.equals(event.path("type").asText())) {
                if (!event.has("weight")) {
                    event.put("weight", 100);
                }
                if (!event.has("tags")) {
                    event.putObject("tags");
                }
            }
        }
    };

    private static final List<Step> STEPS = List.of(EXPLICIT_JOIN_DEFAULTS);

    private Upcasters() {
    }

    /** Upcasts {@code event}, written with {@code schema} (1 ≤ schema ≤ current), to the current schema. */
    static void upcast(ObjectNode event, int schema) {
        for (Step step : STEPS) {
            if (step.from() >= schema) {
                step.upcast(event);
            }
        }
        event.put("schema", MemberEvent.SCHEMA);
    }
}
