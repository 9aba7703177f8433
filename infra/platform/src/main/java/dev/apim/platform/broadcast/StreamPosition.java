package dev.apim.platform.broadcast;

/**
 * A position in the broadcast stream: an entry id {@code <index>-<part>}. An event is published as
 * {@code <globalIndex>-1}; an event that arrives late (an earlier transaction committed after a later one, a gap
 * in the event store's index) is published after the newest entry as {@code <newestIndex>-<2, 3, ...>}.
 */
public record StreamPosition(long index, long part) implements Comparable<StreamPosition> {

    public static final StreamPosition START = new StreamPosition(0, 0);

    /** After every entry published for events up to {@code index} (including late ones). */
    public static StreamPosition afterIndex(long index) {
        return new StreamPosition(index, Long.MAX_VALUE);
    }

    public static StreamPosition parse(String id) {
        int dash = id.indexOf('-');
        return new StreamPosition(Long.parseLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1)));
    }

    @Override
    public int compareTo(StreamPosition o) {
        int c = Long.compare(index, o.index);
        return c != 0 ? c : Long.compareUnsigned(part, o.part);
    }

    @Override
    public String toString() {
        return index + "-" + Long.toUnsignedString(part);
    }
}
