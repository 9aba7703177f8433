package dev.apim.platform.web;

import dev.apim.platform.openapi.OpenApiDefinitions;
import dev.apim.platform.security.Authenticator;
import dev.apim.platform.security.BasicAuthenticator;
import dev.apim.platform.security.CallerArgumentResolver;
import dev.apim.platform.security.CredentialStore;
import dev.apim.platform.security.LoginThrottle;
import dev.apim.platform.security.LoginThrottleProperties;
import dev.apim.platform.security.ManagementSecurityFilter;
import dev.apim.platform.security.ScopeRules;
import org.redisson.api.RedissonClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import java.util.List;

/**
 * The management plane's web edge: strict JSON (unknown fields and wrong types are refused, not guessed),
 * WSO2 error bodies for every failure, and the one security filter over the REST APIs (authentication, then
 * the operation's scopes).
 */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebFluxConfigurer {

    /** Path prefixes that need an authenticated caller. */
    public static final List<String> PROTECTED = List.of("/api/am/");

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new CallerArgumentResolver());
    }

    @Bean
    public JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Collection, c -> c
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }

    @Bean
    public OpenApiDefinitions openApiDefinitions() {
        return new OpenApiDefinitions();
    }

    @Bean
    public ErrorWebExceptionHandler wso2ErrorWebExceptionHandler(JsonMapper mapper) {
        return new ErrorWebExceptionHandler(mapper);
    }

    /** Which scopes each management operation needs; read (and checked) at startup. */
    @Bean
    public ScopeRules scopeRules() {
        return ScopeRules.defaults();
    }

    @Bean
    public LoginThrottle loginThrottle(RedissonClient redisson, LoginThrottleProperties properties) {
        return new LoginThrottle(redisson, properties);
    }

    /**
     * HTTP Basic (user name and password) on the management plane: off unless
     * {@code apim.management.basic-auth.enabled=true}; callers use bearer tokens from the Key Manager.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "apim.management.basic-auth.enabled")
    public BasicAuthenticator basicAuthenticator(CredentialStore store, LoginThrottle loginThrottle) {
        return new BasicAuthenticator(store, loginThrottle);
    }

    @Bean
    public ManagementSecurityFilter managementSecurityFilter(List<Authenticator> authenticators,
                                                             ScopeRules scopeRules) {
        return new ManagementSecurityFilter(PROTECTED, authenticators, scopeRules);
    }
}
