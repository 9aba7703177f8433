package dev.apim.platform.security;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleScopesTest {

    private final RoleScopes defaults = RoleScopes.defaults();

    @Test
    void aSubscriberMayUseTheDeveloperPortalButNotThePublisher() {
        assertThat(defaults.scopesOf("subscriber"))
                .contains("apim:subscribe", "apim:app_manage", "apim:sub_manage", "apim:api_key")
                .doesNotContain("apim:api_view", "apim:api_create", "apim:api_publish", "apim:admin",
                        "apim:tier_view");
    }

    @Test
    void aCreatorCreatesButDoesNotPublish() {
        assertThat(defaults.scopesOf("creator"))
                .contains("apim:api_view", "apim:api_create", "apim:api_delete", "apim:document_manage",
                        "apim:tier_view", "apim:subscription_view")
                .doesNotContain("apim:api_publish", "apim:subscription_block", "apim:subscribe", "apim:admin");
    }

    @Test
    void aPublisherPublishesButDoesNotCreate() {
        assertThat(defaults.scopesOf("publisher"))
                .contains("apim:api_view", "apim:api_publish", "apim:subscription_block",
                        "apim:subscription_manage", "apim:document_manage")
                .doesNotContain("apim:api_create", "apim:api_delete", "apim:subscribe", "apim:admin");
    }

    @Test
    void anAdministratorHoldsEveryScopeGrantedToAnyRole() {
        Set<String> granted = new HashSet<>();
        for (String role : List.of("creator", "publisher", "subscriber")) {
            granted.addAll(defaults.scopesOf(role));
        }
        assertThat(defaults.scopesOf("admin")).containsAll(granted)
                .contains("apim:admin", "apim:api_manage", "apim:tier_manage", "apim:bl_manage",
                        "apim:api_workflow_approve");
    }

    @Test
    void scopesHeldOnlyByRolesWeDoNotHaveAreKnownButGrantedToNoOne() {
        assertThat(defaults.isKnown("apim:api_list_view")).isTrue();
        for (String role : List.of("admin", "creator", "publisher", "subscriber")) {
            assertThat(defaults.scopesOf(role)).doesNotContain("apim:api_list_view");
        }
    }

    @Test
    void severalRolesGrantTheUnionOfTheirScopes() {
        assertThat(defaults.scopesOf(List.of("creator", "subscriber")))
                .contains("apim:api_create", "apim:subscribe")
                .doesNotContain("apim:api_publish");
        assertThat(defaults.scopesOf(List.of())).isEmpty();
        assertThat(defaults.scopesOf("Internal/devops")).isEmpty();
    }

    @Test
    void aRoleOutsideOursIsRefusedInTheMapping() {
        assertThatThrownBy(() -> parse("apim:api_view admin,Internal/observer"))
                .hasMessageContaining("line 1").hasMessageContaining("Internal/observer");
    }

    @Test
    void aScopeListedTwiceIsRefused() {
        assertThatThrownBy(() -> parse("apim:api_view admin\n# comment\napim:api_view creator"))
                .hasMessageContaining("line 3").hasMessageContaining("twice");
    }

    @Test
    void aMalformedScopeNameIsRefused() {
        assertThatThrownBy(() -> parse("api_view admin")).hasMessageContaining("not a scope name");
    }

    private static RoleScopes parse(String text) throws Exception {
        return RoleScopes.parse("test", new BufferedReader(new StringReader(text)));
    }
}
