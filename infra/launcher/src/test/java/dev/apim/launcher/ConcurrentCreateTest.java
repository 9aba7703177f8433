package dev.apim.launcher;

import org.junit.jupiter.api.RepeatedTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The set-based rule under contention: one context + version, ten simultaneous creates. */
class ConcurrentCreateTest extends LauncherTestBase {

    private static final int CALLERS = 10;

    @RepeatedTest(3)
    void exactlyOneOfTenConcurrentCreatesWins() throws Exception {
        String suffix = unique();
        String context = "/race-" + suffix;
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<EntityExchangeResult<byte[]>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < CALLERS; i++) {
                String body = json(apiBody("Race-" + suffix + "-" + i, context, "1.0.0"));
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return client.post().uri(PUBLISHER + "/apis")
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(body)
                            .exchange()
                            .expectBody().returnResult();
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            int created = 0;
            int conflicts = 0;
            List<String> others = new ArrayList<>();
            for (Future<EntityExchangeResult<byte[]>> future : results) {
                EntityExchangeResult<byte[]> result = future.get(60, TimeUnit.SECONDS);
                int status = result.getStatus().value();
                if (status == 201) {
                    created++;
                } else if (status == 409) {
                    conflicts++;
                    assertWso2Error(result.getResponseBody(), 900251L);
                } else {
                    others.add(status + " " + new String(result.getResponseBodyContent() == null ? new byte[0]
                            : result.getResponseBodyContent()));
                }
            }
            assertThat(others).as("answers other than 201/409").isEmpty();
            assertThat(created).isEqualTo(1);
            assertThat(conflicts).isEqualTo(CALLERS - 1);
        } finally {
            pool.shutdownNow();
        }

        long events = queryLong("SELECT count(*) FROM " + EVENTS + " WHERE payload_type = ? "
                + "AND (payload::jsonb #>> '{definition,context}') = ?", API_CREATED, context);
        assertThat(events).as("ApiCreated events for %s", context).isEqualTo(1);

        long listed = tree(client.get().uri(PUBLISHER + "/apis?query=context:{c}", context)
                .exchange().expectStatus().isOk().expectBody().returnResult()).get("count").asLong();
        assertThat(listed).isEqualTo(1);
    }
}
