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
     */
    public record Db(String url, String username, String password, @DefaultValue("16") int poolSize) {}

    /** @param url {@code redis://host:6379}; empty starts an embedded server */
    public record Redis(String url) {}

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
