package dev.apim.platform.db;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How a flush orders buffered writes: per key in order, across keys grouped by SQL, barriers in place. */
class WriteBehindLevelsTest {

    private static WriteBehind.Write w(Object key, String sql) {
        return new WriteBehind.Write(key, sql, ps -> { });
    }

    /** Each level as "sql:key,key | sql:key". */
    private static List<String> describe(List<WriteBehind.Write> writes) {
        List<String> out = new ArrayList<>();
        for (Map<String, List<WriteBehind.Write>> level : WriteBehind.levels(writes)) {
            List<String> groups = new ArrayList<>();
            level.forEach((sql, same) -> groups.add(sql + ":" + String.join(",",
                    same.stream().map(x -> String.valueOf(x.key())).toList())));
            out.add(String.join(" | ", groups));
        }
        return out;
    }

    @Test
    void writesOfOneKeyKeepTheirOrderAndOtherKeysShareBatches() {
        assertThat(describe(List.of(w("a", "U"), w("b", "I"), w("a", "U"), w("c", "U"), w("b", "U"), w("d", "I"))))
                .containsExactly("U:a,c | I:b,d", "U:a,b");
    }

    @Test
    void aBarrierRunsAfterEverythingBeforeItAndBeforeEverythingAfterIt() {
        assertThat(describe(List.of(w("a", "U"), w("a", "U"), w("b", "U"), w(null, "X"), w("c", "U"), w("b", "U"))))
                .containsExactly("U:a,b", "U:a", "X:null", "U:c,b");
    }
}
