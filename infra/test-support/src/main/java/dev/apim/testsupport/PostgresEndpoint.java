package dev.apim.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where the test PostgreSQL server listens and how to log in as a user allowed to create databases.
 * {@code password} is empty when the server does not ask for one (trust authentication); an IPv6
 * {@code host} is kept without brackets.
 */
public record PostgresEndpoint(String host, int port, String username, String password) {

    public PostgresEndpoint {
        Objects.requireNonNull(host, "host");
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // IPv6 literal as written in URLs
        }
        Objects.requireNonNull(username, "username");
        password = password == null ? "" : password;
    }

    /**
     * {@code jdbc:postgresql://HOST:PORT/DATABASE?user=USER[&password=PASSWORD]}, values URL-encoded.
     */
    public String jdbcUrl(String database) {
        Objects.requireNonNull(database, "database");
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hostAndPort()).append('/')
                .append(encode(database)).append("?user=").append(encode(username));
        if (!password.isEmpty()) {
            url.append("&password=").append(encode(password));
        }
        return url.toString();
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    public String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + hostAndPort() + ", user=" + username + (password.isEmpty() ? "" : ", password=***")
                + "]";
    }
}
