package dev.apim.platform.web;

import org.springframework.http.HttpStatus;

import java.util.List;

/** An error raised at the REST edge (not by a business rule) with the status and WSO2 body to answer. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final long code;
    private final String title;
    private final List<ErrorBody.ErrorListItem> items;

    public ApiException(HttpStatus status, long code, String title, String description) {
        this(status, code, title, description, List.of());
    }

    public ApiException(HttpStatus status, long code, String title, String description,
                        List<ErrorBody.ErrorListItem> items) {
        super(description);
        this.status = status;
        this.code = code;
        this.title = title;
        this.items = List.copyOf(items);
    }

    public static ApiException badRequest(String description) {
        return new ApiException(HttpStatus.BAD_REQUEST, 400, "Bad Request", description);
    }

    public static ApiException notFound(String description) {
        return new ApiException(HttpStatus.NOT_FOUND, 404, "Not Found", description);
    }

    public HttpStatus status() { return status; }

    public ErrorBody body() {
        return new ErrorBody(code, title, getMessage(), "", items);
    }
}
