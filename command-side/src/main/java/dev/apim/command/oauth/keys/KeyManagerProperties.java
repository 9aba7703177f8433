package dev.apim.command.oauth.keys;

import dev.apim.platform.jwt.KeyEncryption;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * The Key Manager's token settings ({@code apim.keymanager.*}), checked when the node starts.
 *
 * @param issuer           the {@code iss} of every token, an absolute http(s) URL (WSO2: the token endpoint,
 *                         {@code https://km.example.com/oauth2/token}); empty = derived from the management
 *                         listener ({@code apim.management.*}); the published endpoints use its origin
 * @param masterKey        the secret signing keys are sealed with (at least 16 characters); empty = a random one
 *                         generated once into {@code <apim.data-dir>/keymanager/master.key}. Every Key Manager
 *                         node of a deployment needs the same one
 * @param rotationPeriod   how long a key signs before the next one takes over
 * @param prePublish       how long a new key is published in the JWKS before it may sign
 * @param maxTokenLifetime the longest lifetime of any token; a retiring key stays published this long after it
 *                         stopped signing
 * @param refreshInterval  how often a node rotates when due and re-reads keys other nodes rotated
 */
@ConfigurationProperties("apim.keymanager")
public record KeyManagerProperties(
        String issuer,
        String masterKey,
        @DefaultValue("30d") Duration rotationPeriod,
        @DefaultValue("1d") Duration prePublish,
        @DefaultValue("1d") Duration maxTokenLifetime,
        @DefaultValue("30s") Duration refreshInterval) {

    public KeyManagerProperties {
        issuer = issuer == null || issuer.isBlank() ? null : issuer.trim();
        masterKey = masterKey == null || masterKey.isEmpty() ? null : masterKey;
        if (issuer != null) {
            checkIssuer(issuer);
        }
        if (masterKey != null && masterKey.length() < KeyEncryption.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("apim.keymanager.master-key must have at least "
                    + KeyEncryption.MIN_SECRET_LENGTH + " characters");
        }
        positive(rotationPeriod, "rotation-period");
        positive(maxTokenLifetime, "max-token-lifetime");
        positive(refreshInterval, "refresh-interval");
        if (prePublish == null || prePublish.isNegative()) {
            throw new IllegalArgumentException("apim.keymanager.pre-publish must be zero or positive");
        }
        if (prePublish.compareTo(rotationPeriod) > 0) {
            throw new IllegalArgumentException("apim.keymanager.pre-publish (" + prePublish
                    + ") must not exceed apim.keymanager.rotation-period (" + rotationPeriod
                    + "): a new key could never be old enough to take over");
        }
        if (maxTokenLifetime.compareTo(rotationPeriod) > 0) {
            throw new IllegalArgumentException("apim.keymanager.max-token-lifetime (" + maxTokenLifetime
                    + ") must not exceed apim.keymanager.rotation-period (" + rotationPeriod + ")");
        }
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("apim.keymanager." + name + " must be positive");
        }
    }

    /** Refuses anything but an absolute http(s) URL without user info, query or fragment. */
    static String checkIssuer(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("apim.keymanager.issuer is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException("apim.keymanager.issuer must be an absolute https (or http) URL "
                    + "with a host, e.g. https://km.example.com/oauth2/token; got '" + issuer + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "apim.keymanager.issuer must not contain user info, a query or a fragment: '" + issuer + "'");
        }
        return issuer;
    }

    /** {@code scheme://host[:port]} of an issuer, where the Key Manager's endpoints are. */
    static String origin(String issuer) {
        URI uri = URI.create(issuer);
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    @Override
    public String toString() {
        return "KeyManagerProperties[issuer=" + issuer + ", masterKey=" + (masterKey == null ? "<generated>" : "***")
                + ", rotationPeriod=" + rotationPeriod + ", prePublish=" + prePublish + ", maxTokenLifetime="
                + maxTokenLifetime + ", refreshInterval=" + refreshInterval + "]";
    }
}
