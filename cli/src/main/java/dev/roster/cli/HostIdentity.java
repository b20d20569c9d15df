package dev.roster.cli;

import dev.roster.core.Fields;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this node is when nobody said: its member name is the host's name, and the address it announces is
 * the one its host name resolves to. In a container both come from the container itself (its host name is
 * the container id, which Docker maps to the container's address in /etc/hosts), so a scaled service needs
 * no per-instance settings.
 */
final class HostIdentity {
    private HostIdentity() {
    }

    /** {@code member}, or else this host's name; validated as a member name either way. */
    static String memberName(String member) {
        if (member != null) {
            return Fields.name("member", member);
        }
        String host = hostName();
        try {
            return Fields.name("member", host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("member defaults to this host's name, which is not a valid member name ("
                    + e.getMessage() + "): pass --member");
        }
    }

    /**
     * The address to announce: {@code advertise} when given; the listen address when it is a specific one;
     * for a wildcard listen address (0.0.0.0, ::), the address this host's name resolves to.
     */
    static String advertisedAddress(String listenAddress, String advertise) {
        if (advertise != null) {
            return Fields.address("advertise", advertise);
        }
        if (!isWildcard(listenAddress)) {
            return Fields.address("address", listenAddress);
        }
        String host = hostName();
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("advertise is required when listening on " + listenAddress
                    + ": this host's name " + Fields.quote(host) + " does not resolve");
        }
        if (resolved.isLoopbackAddress() || resolved.isAnyLocalAddress()) {
            throw new IllegalArgumentException("advertise is required when listening on " + listenAddress
                    + ": this host's name resolves to " + resolved.getHostAddress() + ", which HAProxy cannot reach");
        }
        return resolved.getHostAddress();
    }

    static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
    }

    /** $HOSTNAME (set in every container), else what the JVM knows the host as. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("this host has no usable name (" + e.getMessage() + "): pass --member");
        }
    }
}
