package dev.apim.domain.common;

/** Tenant naming shared by every aggregate. */
public final class Tenants {
    /** WSO2's name for the default (super) tenant. */
    public static final String SUPER_TENANT = "carbon.super";

    private Tenants() {}
}
