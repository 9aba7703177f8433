package dev.apim.domain.common;

/** A command was refused by a business rule; nothing was written. */
public class DomainException extends RuntimeException {

    private final DomainError error;

    public DomainException(DomainError error, String description) {
        super(description);
        this.error = error;
    }

    public DomainError error() { return error; }

    public String description() { return getMessage(); }

    public static DomainException of(DomainError error, String format, Object... args) {
        return new DomainException(error, args.length == 0 ? format : String.format(format, args));
    }
}
