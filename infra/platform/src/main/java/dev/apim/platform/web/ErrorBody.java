package dev.apim.platform.web;

import java.util.List;

/** WSO2's REST error object: {@code code}, {@code message}, {@code description}, {@code moreInfo}, {@code error[]}. */
public record ErrorBody(long code, String message, String description, String moreInfo, List<ErrorListItem> error) {

    /** One entry of WSO2's {@code error} list, typically one per invalid field. */
    public record ErrorListItem(String code, String message, String description) {}

    public static ErrorBody of(long code, String message, String description) {
        return new ErrorBody(code, message, description, "", List.of());
    }
}
