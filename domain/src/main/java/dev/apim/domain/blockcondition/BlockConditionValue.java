package dev.apim.domain.blockcondition;

/**
 * What a deny policy blocks. For {@code API}, {@code APPLICATION} and {@code USER} only {@link #value} is set
 * (an API context, {@code owner:applicationName}, a username); for {@code IP} only {@link #fixedIp}; for
 * {@code IPRANGE} {@link #startingIp} and {@link #endingIp}. {@link #invert} (IP kinds only) blocks every
 * address except the given ones. Addresses are in canonical form once validated, so a gateway compares them
 * without parsing ambiguity.
 */
public record BlockConditionValue(String value, String fixedIp, String startingIp, String endingIp, boolean invert) {

    public static BlockConditionValue of(String value) {
        return new BlockConditionValue(value, null, null, null, false);
    }

    public static BlockConditionValue ip(String fixedIp, boolean invert) {
        return new BlockConditionValue(null, fixedIp, null, null, invert);
    }

    public static BlockConditionValue ipRange(String startingIp, String endingIp, boolean invert) {
        return new BlockConditionValue(null, null, startingIp, endingIp, invert);
    }
}
