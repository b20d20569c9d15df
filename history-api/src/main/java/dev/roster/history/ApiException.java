package dev.roster.history;

/** A request the API answers with an error status and a JSON body {"error", "detail"}. */
public class ApiException extends RuntimeException {
    private final int status;
    private final String error;

    public ApiException(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(400, "bad parameter: " + parameter, detail);
    }

    public static ApiException notFound(String what, String detail) {
        return new ApiException(404, what + " not found", detail);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
