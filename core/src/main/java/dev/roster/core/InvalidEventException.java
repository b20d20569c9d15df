package dev.roster.core;

/** Thrown by the codec when bytes are not a valid event; the message is the dead-letter reason. */
public class InvalidEventException extends Exception {
    public InvalidEventException(String reason) {
        super(reason);
    }
}
