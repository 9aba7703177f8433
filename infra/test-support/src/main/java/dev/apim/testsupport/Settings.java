package dev.apim.testsupport;

/** Test settings: a system property wins over the environment variable of the same meaning. */
final class Settings {

    static final String DB_URL_PROPERTY = "apim.test.db-url";
    static final String DB_URL_ENV = "APIM_TEST_DB_URL";
    static final String REDIS_URL_PROPERTY = "apim.test.redis-url";
    static final String REDIS_URL_ENV = "APIM_TEST_REDIS_URL";
    /** {@code false} skips Testcontainers even where a Docker engine answers. */
    static final String TESTCONTAINERS_PROPERTY = "apim.test.testcontainers";
    static final String TESTCONTAINERS_ENV = "APIM_TEST_TESTCONTAINERS";
    static final String POSTGRES_IMAGE_PROPERTY = "apim.test.postgres-image";
    static final String REDIS_IMAGE_PROPERTY = "apim.test.redis-image";

    private Settings() {
    }

    static String get(String property, String environmentVariable) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = environmentVariable == null ? null : System.getenv(environmentVariable);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    static String get(String property, String environmentVariable, String fallback) {
        String value = get(property, environmentVariable);
        return value == null ? fallback : value;
    }
}
