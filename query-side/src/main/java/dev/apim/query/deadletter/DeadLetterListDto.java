package dev.apim.query.deadletter;

import java.util.List;

/** The dead letters, shaped like WSO2's lists; in processing group, sequence and sequence order. */
public record DeadLetterListDto(int count, List<DeadLetterDto> list) {}
