package dev.apim.platform.web;

import dev.apim.domain.common.DomainError;
import dev.apim.domain.common.DomainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.CodecException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import java.util.List;
import java.util.Set;

/**
 * The one place that turns any failure into an HTTP status and WSO2's error body. Business-rule failures
 * map by their {@link DomainError.Kind}; bad requests the framework detects become 400/405/413/415; an
 * unexpected failure becomes a 500 whose body reveals nothing internal. Framework exceptions from modules
 * this one cannot see (Axon's) are recognised by class name through {@link #register}.
 */
public final class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);
    private static final List<Translator> translators = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Maps an exception this module does not know to a response, or returns null to pass. */
    @FunctionalInterface
    public interface Translator {
        Response translate(Throwable error);
    }

    /** A status and the WSO2 body to send with it. */
    public record Response(HttpStatus status, ErrorBody body) {}

    private ErrorResponses() {}

    public static void register(Translator translator) {
        translators.add(translator);
    }

    public static Response of(Throwable error) {
        Throwable e = unwrap(error);
        for (Translator translator : translators) {
            Response response = translator.translate(e);
            if (response != null) {
                return response;
            }
        }
        if (e instanceof DomainException domain) {
            return new Response(status(domain.error().kind()),
                    ErrorBody.of(domain.error().code(), domain.error().message(), domain.description()));
        }
        if (e instanceof ApiException api) {
            return new Response(api.status(), api.body());
        }
        if (e instanceof DataBufferLimitException || hasCause(e, DataBufferLimitException.class)) {
            return new Response(HttpStatus.PAYLOAD_TOO_LARGE, ErrorBody.of(413, "Payload Too Large",
                    "The request body exceeds the size limit"));
        }
        if (e instanceof UnsupportedMediaTypeStatusException unsupported) {
            return new Response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorBody.of(415, "Unsupported Media Type",
                    "Content type " + unsupported.getContentType() + " is not supported here"));
        }
        if (e instanceof MethodNotAllowedException notAllowed) {
            return new Response(HttpStatus.METHOD_NOT_ALLOWED, ErrorBody.of(405, "Method Not Allowed",
                    "Method " + notAllowed.getHttpMethod() + " is not supported on this resource"));
        }
        if (e instanceof NotAcceptableStatusException) {
            return new Response(HttpStatus.NOT_ACCEPTABLE, ErrorBody.of(406, "Not Acceptable",
                    "The requested media type is not available"));
        }
        if (e instanceof ServerWebInputException input) {
            return new Response(HttpStatus.BAD_REQUEST, badInput(input));
        }
        if (e instanceof ResponseStatusException status) {
            HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
            if (code == null) {
                code = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            if (code == HttpStatus.NOT_FOUND) {
                return new Response(code, ErrorBody.of(404, "Not Found", "No resource matches the request path"));
            }
            if (code.is4xxClientError()) {
                return new Response(code, ErrorBody.of(code.value(), code.getReasonPhrase(),
                        status.getReason() == null ? code.getReasonPhrase() : status.getReason()));
            }
        }
        if (isDatabaseUnavailable(e)) {
            log.warn("Database unavailable while serving a request: {}", rootMessage(e));
            return new Response(HttpStatus.SERVICE_UNAVAILABLE, ErrorBody.of(503, "Service Unavailable",
                    "The service is temporarily unable to reach its database; retry later"));
        }
        log.error("Unexpected failure while serving a request", error);
        return new Response(HttpStatus.INTERNAL_SERVER_ERROR, ErrorBody.of(500, "Internal Server Error",
                "The server could not complete the request; the failure has been logged"));
    }

    private static ErrorBody badInput(ServerWebInputException input) {
        String reason = input.getReason() == null ? "Invalid request" : input.getReason();
        String detail = null;
        for (Throwable c = input.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JacksonException jackson) {
                detail = describe(jackson);
                break;
            }
            if (c instanceof DecodingException || c instanceof CodecException) {
                detail = firstLine(c.getMessage());
            }
        }
        if (detail == null) {
            return new ErrorBody(400, "Bad Request", reason, "", List.of());
        }
        return new ErrorBody(400, "Bad Request", "Invalid request body: " + detail, "",
                List.of(new ErrorBody.ErrorListItem("400", "Invalid request body", detail)));
    }

    /** A client-facing account of a JSON problem: which field, what was expected; no Java class names. */
    public static String describe(JacksonException e) {
        String field = path(e);
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field '" + field + "'";
        }
        if (e instanceof MismatchedInputException mismatch) {
            String expected = expected(mismatch.getTargetType());
            return field.isEmpty() ? "the body must be " + expected
                    : "field '" + field + "' must be " + expected;
        }
        if (e instanceof StreamReadException) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return "malformed JSON" + where;
        }
        return field.isEmpty() ? "the body could not be read" : "field '" + field + "' could not be read";
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed content";
        }
        return message.lines().findFirst().orElse(message);
    }

    private static HttpStatus status(DomainError.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
        };
    }

    private static final Set<String> WRAPPERS = Set.of(
            "java.util.concurrent.CompletionException", "java.util.concurrent.ExecutionException",
            "reactor.core.Exceptions$ReactiveException",
            "org.axonframework.commandhandling.CommandExecutionException");

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && e.getCause() != e && WRAPPERS.contains(e.getClass().getName())) {
            e = e.getCause();
        }
        return e;
    }

    /** SQLSTATE classes of a lost or refused connection: 08 (connection exception), 57P01-57P03 (shutdown). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");
    /** Failures meaning "the database cannot be reached now", recognised by name so no driver is a dependency. */
    private static final Set<String> UNAVAILABLE_TYPES = Set.of(
            "java.sql.SQLTransientConnectionException", "java.sql.SQLNonTransientConnectionException",
            "org.springframework.dao.DataAccessResourceFailureException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            "io.r2dbc.spi.R2dbcNonTransientResourceException", "io.r2dbc.spi.R2dbcTransientResourceException",
            "io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionClosedException",
            "io.r2dbc.postgresql.PostgresqlConnectionFactory$PostgresConnectionException");

    /**
     * Whether a failure means the database is unreachable (down, restarting, refusing connections): an operational
     * condition the caller should retry (503), not a bug (500). Walks the whole cause chain, as Axon, Spring and the
     * pools each wrap the driver's exception.
     */
    static boolean isDatabaseUnavailable(Throwable error) {
        int depth = 0;
        for (Throwable c = error; c != null && depth++ < 32; c = c.getCause() == c ? null : c.getCause()) {
            for (Class<?> t = c.getClass(); t != null && t != Object.class; t = t.getSuperclass()) {
                if (UNAVAILABLE_TYPES.contains(t.getName())) {
                    return true;
                }
            }
            String state = null;
            if (c instanceof java.sql.SQLException sql) {
                state = sql.getSQLState();
            } else if (c instanceof io.r2dbc.spi.R2dbcException r2dbc) {
                state = r2dbc.getSqlState();
            }
            if (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))) {
                return true;
            }
            if (c instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 32) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + firstLine(root.getMessage());
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
