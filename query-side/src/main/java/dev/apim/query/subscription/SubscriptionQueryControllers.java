package dev.apim.query.subscription;

import dev.apim.platform.wso2.devportal.ApplicationListDto;
import dev.apim.platform.wso2.devportal.SubscriptionDto;
import dev.apim.platform.wso2.devportal.SubscriptionListDto;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** What the Developer Portal and Publisher subscription readers share: parameters and mapping to WSO2 DTOs. */
final class SubscriptionQueryControllers {

    static final int MAX_LIMIT = 1000;
    static final String ADMIN_ROLE = "admin";
    private static final Pattern ID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private SubscriptionQueryControllers() {}

    static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }


    static SubscriptionDto devportal(SubscriptionReadModel.SubscriptionRow row) {
        return new SubscriptionDto(row.subscriptionId(), row.applicationId(), row.apiId(),
                new SubscriptionDto.ApiInfo(row.apiId(), row.apiName(), row.apiDescription(), row.apiContext(),
                        row.apiVersion(), row.apiType(), row.apiProvider(), row.apiLifecycleStatus()),
                new SubscriptionDto.ApplicationInfo(row.applicationId(), row.applicationName(),
                        row.applicationPolicy(), row.applicationDescription(), "APPROVED", row.applicationOwner(),
                        row.applicationTokenType()),
                row.throttlingPolicy(), row.requestedPolicy(), row.status(), Map.of());
    }

    static dev.apim.platform.wso2.publisher.SubscriptionDto publisher(SubscriptionReadModel.SubscriptionRow row) {
        return new dev.apim.platform.wso2.publisher.SubscriptionDto(row.subscriptionId(),
                new dev.apim.platform.wso2.publisher.SubscriptionDto.ApplicationInfo(row.applicationId(),
                        row.applicationName(), row.subscriber(), row.applicationDescription(), null),
                row.throttlingPolicy(), row.requestedPolicy(), row.status(), Map.of());
    }

    static SubscriptionListDto devportalPage(SubscriptionReadModel.Page page, int limit, int offset, String query) {
        List<SubscriptionDto> list = page.rows().stream().map(SubscriptionQueryControllers::devportal).toList();
        return new SubscriptionListDto(list.size(), list, new ApplicationListDto.Pagination(offset, limit,
                page.total(), next(page.total(), limit, offset, query), previous(limit, offset, query)));
    }

    static dev.apim.platform.wso2.publisher.SubscriptionDto.ListDto publisherPage(SubscriptionReadModel.Page page,
                                                                                  int limit, int offset, String query) {
        List<dev.apim.platform.wso2.publisher.SubscriptionDto> list = page.rows().stream()
                .map(SubscriptionQueryControllers::publisher).toList();
        return new dev.apim.platform.wso2.publisher.SubscriptionDto.ListDto(list.size(), list,
                new dev.apim.platform.wso2.publisher.SubscriptionDto.Pagination(offset, limit, page.total(),
                        next(page.total(), limit, offset, query), previous(limit, offset, query)));
    }

    private static String next(long total, int limit, int offset, String query) {
        return offset + limit < total ? "/subscriptions?limit=" + limit + "&offset=" + (offset + limit) + query : "";
    }

    private static String previous(int limit, int offset, String query) {
        return offset > 0 ? "/subscriptions?limit=" + limit + "&offset=" + Math.max(0, offset - limit) + query : "";
    }
}
