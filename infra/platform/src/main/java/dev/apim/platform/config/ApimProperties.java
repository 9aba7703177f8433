package dev.apim.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Node-wide settings ({@code apim.*}), each with its default. Environment variables map by Spring's relaxed
 * binding: {@code APIM_DB_URL} is {@code apim.db.url}, {@code APIM_REDIS_URL} is {@code apim.redis.url}.
 *
 * @param dataDir     where embedded servers and generated keys live (survives restarts)
 * @param roles       comma-separated roles of this node, or {@code all}
 * @param db          the PostgreSQL database; embedded when {@code url} is empty
 * @param redis       the Redis server; embedded when {@code url} is empty
 * @param consistency how long a write waits for its read model before answering
 */
@ConfigurationProperties("apim")
public record ApimProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("all") String roles,
        @DefaultValue Db db,
        @DefaultValue Redis redis,
        @DefaultValue Consistency consistency) {

    public ApimProperties {
        Roles.parse(roles);
    }

    /** The roles this node runs. */
    public java.util.Set<String> roleSet() {
        return Roles.parse(roles);
    }

    /**
     * @param url      JDBC URL ({@code jdbc:postgresql://host:5432/apim}); empty starts an embedded server
     * @param username database user (may also be in the URL)
     * @param password database password (may also be in the URL)
     * @param poolSize JDBC and R2DBC pool size each
     * @param readUrl  JDBC URL of a PostgreSQL replica (hot standby) for the query endpoints' R2DBC readers;
     *                 empty = the primary. Writes, projections, the event store and claims stay on {@code url}.
     * @param readUsername user on the replica (default: {@code username})
     * @param readPassword its password (default: {@code password})
     */
    public record Db(String url, String username, String password, @DefaultValue("16") int poolSize,
                     String readUrl, String readUsername, String readPassword) {

        public Db {
            if (readUrl != null && !readUrl.isBlank() && !readUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("apim.db.read-url must be a jdbc:postgresql:// URL");
            }
            if (readUrl != null && !readUrl.isBlank() && (url == null || url.isBlank())) {
                throw new IllegalArgumentException("apim.db.read-url needs apim.db.url (a replica of an embedded "
                        + "database cannot exist)");
            }
        }

        /** Whether the readers use a replica. */
        public boolean hasReadReplica() {
            return readUrl != null && !readUrl.isBlank();
        }
    }

    /**
     * The Redis deployment, checked at start ({@code apim.redis.*}).
     *
     * @param mode               {@code standalone} (default), {@code sentinel} or {@code cluster}
     * @param url                standalone: {@code redis://host:6379} or {@code rediss://} (TLS); empty starts an
     *                           embedded server
     * @param nodes              sentinel: the sentinels' addresses; cluster: some of the cluster's nodes (Redisson
     *                           discovers the rest); {@code redis://host:port} or all {@code rediss://}
     * @param masterName         sentinel: the monitored master's name
     * @param username           ACL user (Redis 6+), optional
     * @param password           password, optional (may also be in a standalone {@code url})
     * @param database           database number (standalone and sentinel; a cluster has only 0)
     * @param trustStore         TLS: a PKCS#12 or JKS trust store for the servers' certificates (else the JDK's CAs)
     * @param trustStorePassword its password
     */
    public record Redis(String url, @DefaultValue("standalone") String mode, java.util.List<String> nodes,
                        String masterName, String username, String password, @DefaultValue("0") int database,
                        String trustStore, String trustStorePassword) {

        public static final java.util.Set<String> MODES = java.util.Set.of("standalone", "sentinel", "cluster");

        public Redis {
            mode = mode == null || mode.isBlank() ? "standalone" : mode.trim().toLowerCase(java.util.Locale.ROOT);
            if (!MODES.contains(mode)) {
                throw new IllegalArgumentException("apim.redis.mode must be one of standalone, sentinel, cluster, not '"
                        + mode + "'");
            }
            nodes = nodes == null ? java.util.List.of() : nodes.stream().map(String::trim)
                    .filter(n -> !n.isEmpty()).toList();
            if (database < 0 || database > 15) {
                throw new IllegalArgumentException("apim.redis.database must be from 0 to 15");
            }
            if (mode.equals("standalone")) {
                if (!nodes.isEmpty()) {
                    throw new IllegalArgumentException("apim.redis.nodes is for sentinel or cluster mode; "
                            + "standalone uses apim.redis.url");
                }
                if (url != null && !url.isBlank()) {
                    checkAddress("apim.redis.url", url);
                }
            } else {
                if (url != null && !url.isBlank()) {
                    throw new IllegalArgumentException("apim.redis.url is for standalone mode; " + mode
                            + " mode uses apim.redis.nodes");
                }
                if (nodes.isEmpty()) {
                    throw new IllegalArgumentException("apim.redis.nodes must list the " + mode
                            + (mode.equals("sentinel") ? "s' addresses" : "'s nodes") + " in " + mode + " mode");
                }
                nodes.forEach(n -> checkAddress("apim.redis.nodes", n));
                if (nodes.stream().map(n -> n.startsWith("rediss://")).distinct().count() > 1) {
                    throw new IllegalArgumentException("apim.redis.nodes must be all redis:// or all rediss://");
                }
                if (mode.equals("sentinel") && (masterName == null || masterName.isBlank())) {
                    throw new IllegalArgumentException("apim.redis.master-name is required in sentinel mode");
                }
                if (mode.equals("cluster") && database != 0) {
                    throw new IllegalArgumentException("apim.redis.database must be 0 in cluster mode");
                }
            }
            if (trustStore != null && !trustStore.isBlank() && !java.nio.file.Files.isReadable(Path.of(trustStore))) {
                throw new IllegalArgumentException("apim.redis.trust-store is not a readable file: " + trustStore);
            }
        }

        /** Whether an embedded Redis is started: standalone without a URL. */
        public boolean embedded() {
            return mode.equals("standalone") && (url == null || url.isBlank());
        }

        private static void checkAddress(String setting, String address) {
            if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
                throw new IllegalArgumentException(setting + " must start with redis:// or rediss://: " + address);
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + " is not a valid address: " + address);
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException(setting + " must name host and port: " + address);
            }
        }
    }

    /**
     * @param waitForProjection whether a write answers only once the read model shows it
     * @param timeout           the longest a write waits for that
     * @param listen            whether nodes wake each other through PostgreSQL LISTEN/NOTIFY (else each finds
     *                          other nodes' changes at its poll interval)
     * @param fallbackPoll      how often a waiting write re-reads the projections' tokens while the LISTEN
     *                          connection is down (or {@code listen} is off)
     */
    public record Consistency(@DefaultValue("true") boolean waitForProjection,
                              @DefaultValue("5s") Duration timeout,
                              @DefaultValue("true") boolean listen,
                              @DefaultValue("25ms") Duration fallbackPoll) {
        public Consistency {
            if (fallbackPoll.compareTo(Duration.ofMillis(1)) < 0 || fallbackPoll.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("apim.consistency.fallback-poll must be between 1ms and 10s, was "
                        + fallbackPoll);
            }
        }
    }
}
