package dev.apim.domain.subscription;

/** Port: per-tenant workflow settings; a tenant may require approval for every subscription, whatever the tier. */
public interface TenantWorkflowSettings {
    boolean subscriptionApprovalRequired(String tenant);
}
