package dev.roster.config;

import dev.roster.core.Fields;

/**
 * Everything a rendering depends on besides the template and the pools. Recorded in every manifest, so
 * that a rebuild renders with exactly what the builder used, whatever its settings are now.
 *
 * @param instance        the HAProxy instance id
 * @param frontendAddress the address the frontend binds (validated like a member address)
 * @param frontendPort    the port the frontend binds
 * @param statsSocket     the runtime API socket path, or "" for none (the template then declares none)
 * @param serverStateFile the server-state file path, or "" for none
 * @param pools           the pools the config covers ({@link PoolSelection#ALL} when a manifest of an older
 *                        builder names none: those served every pool)
 */
public record RenderParameters(String instance, String frontendAddress, int frontendPort, String statsSocket,
                               String serverStateFile, PoolSelection pools) {
    public RenderParameters {
        pools = pools == null ? PoolSelection.ALL : pools;
        Fields.name("instance", instance);
        Fields.address("frontendAddress", frontendAddress);
        Fields.port("frontendPort", frontendPort);
        statsSocket = statsSocket == null ? "" : statsSocket;
        serverStateFile = serverStateFile == null ? "" : serverStateFile;
    }

    /** For every pool. */
    public RenderParameters(String instance, String frontendAddress, int frontendPort, String statsSocket,
                            String serverStateFile) {
        this(instance, frontendAddress, frontendPort, statsSocket, serverStateFile, PoolSelection.ALL);
    }
}
