package dev.apim.query.progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apim.domain.api.event.ApiCreated;
import dev.apim.domain.user.UserRegistered;
import dev.apim.query.publisher.ApiProjection;
import dev.apim.query.users.UserProjection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TokenProgressTest {

    private final TokenProgress progress = new TokenProgress(null, new ObjectMapper(), Map.of(
            "apimgtdb", List.of(ApiProjection.class), "shareddb", List.of(UserProjection.class)));

    @Test
    void a_gap_aware_token_covers_indexes_up_to_its_own_that_are_not_gaps() {
        String token = "{\"index\":10,\"gaps\":[7]}";
        assertThat(progress.covers(token, 10)).isTrue();
        assertThat(progress.covers(token, 3)).isTrue();
        assertThat(progress.covers(token, 7)).isFalse();
        assertThat(progress.covers(token, 11)).isFalse();
    }

    @Test
    void a_replay_token_is_judged_by_its_current_position() {
        String token = "{\"tokenAtReset\":{\"index\":50,\"gaps\":[]},\"currentToken\":{\"index\":20,\"gaps\":[]}}";
        assertThat(progress.covers(token, 20)).isTrue();
        assertThat(progress.covers(token, 21)).isFalse();
    }

    @Test
    void no_token_or_garbage_covers_nothing() {
        assertThat(progress.covers(null, 1)).isFalse();
        assertThat(progress.covers("not json", 1)).isFalse();
    }

    @Test
    void only_processors_that_handle_the_event_type_are_waited_for() {
        assertThat(progress.processorsFor(ApiCreated.class.getName())).containsExactly("apimgtdb");
        assertThat(progress.processorsFor(UserRegistered.class.getName())).containsExactly("shareddb");
        assertThat(progress.processorsFor("some.Other")).isEmpty();
    }
}
