package dev.roster.config;

import dev.roster.core.Fields;
import dev.roster.core.LogPosition;
import dev.roster.core.Member;
import dev.roster.core.PoolSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one rendering of {@code haproxy.cfg} is made of. Pools are kept sorted by name so that the same
 * snapshots always give the same model, whatever order they arrived in.
 *
 * @param instance        the HAProxy instance id
 * @param frontendAddress the address the frontend binds (validated like a member address)
 * @param frontendPort    the port the frontend binds
 * @param statsSocket     the runtime API socket path, or "" for none
 * @param serverStateFile the server-state file path, or "" for none
 * @param pools           one snapshot per pool, at most one per name; sorted by name on construction
 * @param selection       the pools the builder serves: every pool of {@code pools} is one of them
 */
public record ConfigModel(String instance, String frontendAddress, int frontendPort, String statsSocket,
                          String serverStateFile, List<PoolSnapshot> pools, PoolSelection selection) {
    /**
     * HAProxy's {@code balance roundrobin} is "limited by design to 4095 active servers per backend"
     * (configuration manual, {@code balance}); a larger pool is balanced with {@code random}, which is as
     * dynamic (weights and added servers take effect at once) and is made for large farms.
     */
    public static final int ROUNDROBIN_MAX_SERVERS = 4095;

    public ConfigModel {
        selection = selection == null ? PoolSelection.ALL : selection;
        new RenderParameters(instance, frontendAddress, frontendPort, statsSocket, serverStateFile, selection);
        statsSocket = statsSocket == null ? "" : statsSocket;
        serverStateFile = serverStateFile == null ? "" : serverStateFile;
        List<PoolSnapshot> sorted = new ArrayList<>(pools);
        sorted.sort(Comparator.comparing(PoolSnapshot::pool));
        Set<String> seen = new HashSet<>();
        for (PoolSnapshot pool : sorted) {
            if (!seen.add(pool.pool())) {
                throw new IllegalArgumentException("pools must hold one snapshot per pool, had two for " + pool.pool());
            }
            if (!selection.matches(pool.pool())) {
                throw new IllegalArgumentException("pool " + pool.pool() + " is not one of the pools served: " + selection);
            }
        }
        pools = List.copyOf(sorted);
    }

    /** A model of every pool. */
    public ConfigModel(String instance, String frontendAddress, int frontendPort, String statsSocket,
                       String serverStateFile, List<PoolSnapshot> pools) {
        this(instance, frontendAddress, frontendPort, statsSocket, serverStateFile, pools, PoolSelection.ALL);
    }

    /** A model without runtime socket and server-state file. */
    public ConfigModel(String instance, String frontendAddress, int frontendPort, List<PoolSnapshot> pools) {
        this(instance, frontendAddress, frontendPort, "", "", pools);
    }

    /** The model the builder renders: the render parameters of {@code settings}, plus {@code pools}. */
    public static ConfigModel of(ConfigBuilderSettings settings, Collection<PoolSnapshot> pools) {
        return of(settings.renderParameters(), pools);
    }

    /**
     * {@code parameters} plus those of {@code pools} that {@link RenderParameters#pools()} selects: what the
     * builder renders, and what a rebuild renders with a manifest's parameters from every pool of the log.
     */
    public static ConfigModel of(RenderParameters parameters, Collection<PoolSnapshot> pools) {
        List<PoolSnapshot> served = pools.stream().filter(pool -> parameters.pools().matches(pool.pool())).toList();
        return new ConfigModel(parameters.instance(), parameters.frontendAddress(), parameters.frontendPort(),
                parameters.statsSocket(), parameters.serverStateFile(), served, parameters.pools());
    }

    public RenderParameters parameters() {
        return new RenderParameters(instance, frontendAddress, frontendPort, statsSocket, serverStateFile, selection);
    }

    /** The same parameters with other pools. */
    public ConfigModel withPools(Collection<PoolSnapshot> newPools) {
        return of(parameters(), newPools);
    }

    /** Each pool's version, sorted by pool name. */
    public Map<String, Long> poolVersions() {
        Map<String, Long> versions = new TreeMap<>();
        pools.forEach(p -> versions.put(p.pool(), p.version()));
        return versions;
    }

    /** The {@code roster.events} position each pool was folded through, sorted by pool; pools without one are left out. */
    public Map<String, LogPosition> through() {
        Map<String, LogPosition> through = new TreeMap<>();
        pools.stream().filter(p -> p.through() != null).forEach(p -> through.put(p.pool(), p.through()));
        return through;
    }

    /**
     * The model as the template sees it (plain maps and lists, in a fixed order):
     * <pre>
     * instance, frontendAddress, frontendPort,
     * statsSocket          the runtime API socket path; absent when there is none
     * serverStateFile      the server-state file path; absent when there is none
     * defaultPool          name of the first pool by name; absent when there are no pools
     * pools[]              name, version, through {partition, offset} (absent if unknown), balance (the
 *                      algorithm for its size: roundrobin, or random above {@link #ROUNDROBIN_MAX_SERVERS}),
     *   members[]          sorted by name: name, id (the server id, see {@link ServerIds}), address, port,
     *                      weight, state ("active" or "draining"), draining (true or false),
     *                      tags {key: value} sorted by key
     * </pre>
     */
    public Map<String, Object> templateContext() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("instance", instance);
        context.put("frontendAddress", frontendAddress);
        context.put("frontendPort", frontendPort);
        if (!statsSocket.isEmpty()) {
            context.put("statsSocket", statsSocket);
        }
        if (!serverStateFile.isEmpty()) {
            context.put("serverStateFile", serverStateFile);
        }
        if (!pools.isEmpty()) {
            context.put("defaultPool", pools.get(0).pool());
        }
        List<Map<String, Object>> poolList = new ArrayList<>();
        for (PoolSnapshot pool : pools) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", pool.pool());
            p.put("version", pool.version());
            if (pool.through() != null) {
                p.put("through", Map.of("partition", pool.through().partition(), "offset", pool.through().offset()));
            }
            p.put("balance", pool.members().size() > ROUNDROBIN_MAX_SERVERS ? "random" : "roundrobin");
            List<Member> members = new ArrayList<>(pool.members());
            members.sort(Comparator.comparing(Member::name));
            Map<String, Long> ids = ServerIds.assign(members.stream().map(Member::name).toList());
            List<Map<String, Object>> memberList = new ArrayList<>();
            for (Member member : members) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", member.name());
                m.put("id", ids.get(member.name()));
                m.put("address", member.address());
                m.put("port", member.port());
                m.put("weight", member.weight());
                m.put("state", member.state());
                m.put("draining", member.draining());
                m.put("tags", new TreeMap<>(member.tags()));
                memberList.add(m);
            }
            p.put("members", memberList);
            poolList.add(p);
        }
        context.put("pools", poolList);
        return context;
    }
}
