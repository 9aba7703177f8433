package dev.apim.platform.redis;

import org.redisson.connection.CRC16;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key-to-slot rule: CRC16 of the key, or of its hash tag (the text between the first {@code {}
 * and the next {@code }}, when not empty), modulo 16384. A script may only touch keys of one slot, so every
 * multi-key script here keeps its keys under one hash tag; tests check that with this function.
 */
public final class ClusterSlots {

    public static final int SLOTS = 16384;

    private ClusterSlots() {}

    /** The slot of a key. */
    public static int slot(String key) {
        return CRC16.crc16(hashed(key).getBytes(StandardCharsets.UTF_8)) % SLOTS;
    }

    /** The part of the key that is hashed: its hash tag when it has a non-empty one, else the whole key. */
    public static String hashed(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                return key.substring(open + 1, close);
            }
        }
        return key;
    }

    /** Whether the key has a non-empty hash tag. */
    public static boolean hasHashTag(String key) {
        return !hashed(key).equals(key);
    }
}
