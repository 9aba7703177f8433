package dev.apim.platform.db;

import org.postgresql.Driver;

import java.util.Properties;

/** Where the node's PostgreSQL database is, resolved once at start (configured or embedded). */
public record DatabaseEndpoint(String jdbcUrl, String username, String password) {

    /** Host, port and database parsed by the PostgreSQL driver itself. */
    public Properties parsed() {
        Properties props = Driver.parseURL(jdbcUrl, null);
        if (props == null) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        }
        return props;
    }

    public String host() {
        return parsed().getProperty("PGHOST", "localhost").split(",")[0];
    }

    public int port() {
        return Integer.parseInt(parsed().getProperty("PGPORT", "5432").split(",")[0]);
    }

    public String database() {
        return parsed().getProperty("PGDBNAME");
    }

    public String effectiveUsername() {
        return username != null && !username.isBlank() ? username : parsed().getProperty("user", "postgres");
    }

    public String effectivePassword() {
        return password != null ? password : parsed().getProperty("password", "");
    }
}
