package dev.apim.platform.jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rotation rules for signing keys, as a state machine driven by explicit instants (no hidden clock):
 * <ul>
 *   <li>there is always one ACTIVE key (signs) and one NEXT key (published, not signing);</li>
 *   <li>a NEXT key is published at least {@code prePublish} before it may sign, so verifiers that cache the JWKS
 *       know it before they meet a token it signed;</li>
 *   <li>{@link #rotate} promotes NEXT to ACTIVE, demotes ACTIVE to RETIRING and creates a new NEXT;</li>
 *   <li>a RETIRING key stays published until {@code deactivatedAt + maxTokenLifetime} (its last token has
 *       expired), then becomes RETIRED and leaves the JWKS.</li>
 * </ul>
 * The very first key of an empty ring becomes ACTIVE at once: no token or cached JWKS can exist yet.
 * <p>Mutating methods return whether anything changed, so the caller knows when to persist {@link #keys()}.
 * Thread-safe.
 */
public final class SigningKeyRing {

    private final Duration rotationPeriod;
    private final Duration prePublish;
    private final Duration maxTokenLifetime;
    private final Function<Instant, SigningKey> keyFactory;
    private final List<SigningKey> keys = new ArrayList<>();

    public SigningKeyRing(Duration rotationPeriod, Duration prePublish, Duration maxTokenLifetime) {
        this(rotationPeriod, prePublish, maxTokenLifetime, List.of(), SigningKey::generate);
    }

    /**
     * @param existing   keys loaded from storage (any states; at most one ACTIVE and one NEXT)
     * @param keyFactory creates a NEXT key at the given instant
     */
    public SigningKeyRing(Duration rotationPeriod, Duration prePublish, Duration maxTokenLifetime,
                          Collection<SigningKey> existing, Function<Instant, SigningKey> keyFactory) {
        this.rotationPeriod = positive(rotationPeriod, "rotationPeriod");
        this.prePublish = Objects.requireNonNull(prePublish, "prePublish");
        this.maxTokenLifetime = positive(maxTokenLifetime, "maxTokenLifetime");
        this.keyFactory = Objects.requireNonNull(keyFactory, "keyFactory");
        if (prePublish.isNegative()) {
            throw new IllegalArgumentException("prePublish must not be negative");
        }
        if (prePublish.compareTo(rotationPeriod) > 0) {
            throw new IllegalArgumentException("prePublish (" + prePublish + ") must not exceed the rotation period ("
                    + rotationPeriod + "), or a scheduled rotation could never promote the NEXT key");
        }
        if (maxTokenLifetime.compareTo(rotationPeriod) > 0) {
            throw new IllegalArgumentException("maxTokenLifetime must not exceed the rotation period");
        }
        for (SigningKey k : existing) {
            if (keys.stream().anyMatch(o -> o.kid().equals(k.kid()))) {
                throw new IllegalArgumentException("duplicate kid " + k.kid());
            }
            keys.add(k);
        }
        if (count(SigningKey.State.ACTIVE) > 1 || count(SigningKey.State.NEXT) > 1) {
            throw new IllegalArgumentException("at most one ACTIVE and one NEXT key");
        }
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    public Duration rotationPeriod() {
        return rotationPeriod;
    }

    public Duration prePublish() {
        return prePublish;
    }

    public Duration maxTokenLifetime() {
        return maxTokenLifetime;
    }

    /**
     * Guarantees one ACTIVE and one NEXT key and retires RETIRING keys whose last token has expired.
     * A ring with a NEXT but no ACTIVE key (a crash mid-rotation) promotes NEXT only once it is old enough.
     *
     * @return true when a key was created or changed state
     */
    public synchronized boolean ensureKeys(Instant now) {
        Objects.requireNonNull(now);
        boolean changed = retireExpired(now);
        if (find(SigningKey.State.ACTIVE).isEmpty()) {
            Optional<SigningKey> next = find(SigningKey.State.NEXT);
            boolean nothingEverPublished = keys.isEmpty();
            if (next.isPresent() && mayActivate(next.get(), now)) {
                replace(next.get(), next.get().activate(now));
            } else if (nothingEverPublished) {
                keys.add(keyFactory.apply(now).activate(now));
            } else if (next.isEmpty()) {
                // Keys were published before but none signs and none waits: publish a NEXT; the ring has no
                // signing key until it has been published for prePublish.
                keys.add(keyFactory.apply(now));
                if (prePublish.isZero()) {
                    SigningKey k = find(SigningKey.State.NEXT).orElseThrow();
                    replace(k, k.activate(now));
                }
            }
            changed = true;
        }
        if (find(SigningKey.State.NEXT).isEmpty()) {
            keys.add(keyFactory.apply(now));
            changed = true;
        }
        return changed;
    }

    /**
     * Promotes NEXT to ACTIVE, the current ACTIVE to RETIRING, and creates a new NEXT.
     *
     * @throws IllegalStateException when NEXT has been published for less than {@code prePublish}
     */
    public synchronized void rotate(Instant now) {
        ensureKeys(now);
        SigningKey next = find(SigningKey.State.NEXT).orElseThrow();
        if (!mayActivate(next, now)) {
            throw new IllegalStateException("key " + next.kid() + " was published at " + next.createdAt()
                    + " and may not sign before " + next.createdAt().plus(prePublish));
        }
        find(SigningKey.State.ACTIVE).ifPresent(active -> replace(active, active.deactivate(now)));
        replace(next, next.activate(now));
        keys.add(keyFactory.apply(now));
    }

    /**
     * Ensures keys, then rotates when the ACTIVE key has signed for {@code rotationPeriod} and NEXT may sign.
     *
     * @return true when a key was created or changed state
     */
    public synchronized boolean rotateIfDue(Instant now) {
        boolean changed = ensureKeys(now);
        Optional<SigningKey> active = find(SigningKey.State.ACTIVE);
        Optional<SigningKey> next = find(SigningKey.State.NEXT);
        if (active.isPresent() && next.isPresent()
                && !now.isBefore(active.get().activatedAt().plus(rotationPeriod))
                && mayActivate(next.get(), now)) {
            rotate(now);
            return true;
        }
        return changed;
    }

    /** The key that signs now. */
    public synchronized SigningKey signingKey() {
        return find(SigningKey.State.ACTIVE)
                .orElseThrow(() -> new IllegalStateException("no ACTIVE signing key; call ensureKeys first"));
    }

    /** Keys for the JWKS: NEXT, ACTIVE and RETIRING, newest first. */
    public synchronized List<SigningKey> publishedKeys() {
        return keys.stream().filter(SigningKey::published)
                .sorted(Comparator.comparing(SigningKey::createdAt).reversed())
                .toList();
    }

    /** Every key, including RETIRED ones, for persistence. */
    public synchronized List<SigningKey> keys() {
        return List.copyOf(keys);
    }

    /** When the given RETIRING key may leave the JWKS. */
    public Instant unpublishAt(SigningKey key) {
        if (key.deactivatedAt() == null) {
            throw new IllegalArgumentException("key " + key.kid() + " has not stopped signing");
        }
        return key.deactivatedAt().plus(maxTokenLifetime);
    }

    private boolean retireExpired(Instant now) {
        boolean changed = false;
        for (SigningKey k : List.copyOf(keys)) {
            if (k.state() == SigningKey.State.RETIRING && !now.isBefore(unpublishAt(k))) {
                replace(k, k.retire(now));
                changed = true;
            }
        }
        return changed;
    }

    private boolean mayActivate(SigningKey next, Instant now) {
        return !now.isBefore(next.createdAt().plus(prePublish));
    }

    private Optional<SigningKey> find(SigningKey.State state) {
        return keys.stream().filter(k -> k.state() == state).findFirst();
    }

    private long count(SigningKey.State state) {
        return keys.stream().filter(k -> k.state() == state).count();
    }

    private void replace(SigningKey old, SigningKey updated) {
        keys.set(keys.indexOf(old), updated);
    }
}
