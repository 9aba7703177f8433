package dev.apim.eventstore.upcasting;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.Order;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding an upcaster is one class: every {@link JsonEventUpcaster} in this package must be a component (so the
 * application's scan puts it in the storage engine's chain) with an explicit, unique order.
 */
class UpcasterRegistrationTest {

    @Test
    void every_upcaster_is_a_component_with_its_own_order() throws ClassNotFoundException {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(JsonEventUpcaster.class));
        Set<BeanDefinition> found = scanner.findCandidateComponents(JsonEventUpcaster.class.getPackageName());
        assertThat(found).extracting(BeanDefinition::getBeanClassName)
                .contains(SubscriptionBlockedTenantUpcaster.class.getName());

        List<Integer> orders = new java.util.ArrayList<>();
        for (BeanDefinition definition : found) {
            Class<?> type = Class.forName(definition.getBeanClassName());
            assertThat(type.isAnnotationPresent(Component.class)).as("%s is @Component", type).isTrue();
            assertThat(type.isAnnotationPresent(Order.class)).as("%s has @Order", type).isTrue();
            orders.add(type.getAnnotation(Order.class).value());
        }
        assertThat(orders.stream().collect(Collectors.toSet())).hasSameSizeAs(orders);
    }
}
