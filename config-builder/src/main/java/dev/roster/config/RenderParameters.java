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
 */
public record RenderParameters(String instance, String frontendAddress, int frontendPort, String statsSocket,
                               String serverStateFile) {
    public RenderParameters {
        Fields.name("instance", instance);
        Fields.address("frontendAddress", frontendAddress);
        Fields.port("frontendPort", frontendPort);
        statsSocket = statsSocket == null ? "" : statsSocket;
        serverStateFile = serverStateFile == null ? "" : serverStateFile;
    }
}
