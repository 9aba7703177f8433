package dev.apim.query.deadletter;

/**
 * One parked event: the letter's id, the processing group whose handler failed, the sequence it holds up (the
 * aggregate), the event (type, aggregate, place in the log), the last failure, when it was parked and last
 * tried, and how many attempts failed. {@code globalIndex} is null if the event is no longer in the store.
 */
public record DeadLetterDto(String id, String processingGroup, String sequenceId, long sequenceIndex, String eventType,
                            String eventId, String aggregateId, Long globalIndex, String causeType, String cause,
                            String enqueuedAt, String lastTouched, long attempts) {}
