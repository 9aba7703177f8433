package dev.apim.platform.wso2.devportal;

import java.util.List;

/** WSO2 Developer Portal v3's {@code SubscriptionList}: a page of subscriptions with its pagination. */
public record SubscriptionListDto(int count, List<SubscriptionDto> list, ApplicationListDto.Pagination pagination) {}
