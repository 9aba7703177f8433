package dev.apim.launcher;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives a context its own reactor-netty resources instead of the JVM-global ones. Closing a context whose resource
 * factory uses the global resources disposes the global event loops, under every other listener in the JVM that
 * serves on them; so a context started next to another one in the same JVM (the in-process {@code replay} command,
 * a second node in a test) must own its loops. A node alone in its JVM needs none of this.
 */
final class OwnNettyResources {

    private OwnNettyResources() {
    }

    static SpringApplicationBuilder apply(SpringApplicationBuilder builder) {
        return builder.initializers(ctx -> ((GenericApplicationContext) ctx).registerBean("reactorResourceFactory",
                ReactorResourceFactory.class, () -> {
                    ReactorResourceFactory factory = new ReactorResourceFactory();
                    factory.setUseGlobalResources(false);
                    return factory;
                }));
    }
}
