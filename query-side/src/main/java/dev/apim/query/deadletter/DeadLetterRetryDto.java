package dev.apim.query.deadletter;

/**
 * The result of a retry: {@code resolved} when the letter's event was handled and left the queue; otherwise
 * {@code deadLetter} is the letter as it stays parked (its cause and attempt count updated).
 */
public record DeadLetterRetryDto(String id, boolean resolved, DeadLetterDto deadLetter) {}
