package dev.apim.platform.db;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaRedirectTest {

    private final SchemaRedirect redirect = SchemaRedirect.of(Map.of("apimgtdb", "apimgtdb_rebuild"));

    @Test
    void onlyQualifiedNamesOfTheMappedSchemaAreRewritten() {
        assertThat(redirect.rewrite("INSERT INTO apimgtdb.api (id) SELECT id FROM apimgtdb.api_revision r "
                + "JOIN event_store.token_entry t ON true WHERE x = 'apimgtdb_rebuild.api' AND y.apimgtdb = 1"))
                .isEqualTo("INSERT INTO apimgtdb_rebuild.api (id) SELECT id FROM apimgtdb_rebuild.api_revision r "
                        + "JOIN event_store.token_entry t ON true WHERE x = 'apimgtdb_rebuild.api' AND y.apimgtdb = 1");
        assertThat(redirect.rewrite("SELECT 1 FROM xapimgtdb.api")).isEqualTo("SELECT 1 FROM xapimgtdb.api");
        String untouched = "SELECT 1";
        assertThat(redirect.rewrite(untouched)).isSameAs(untouched);
    }
}
