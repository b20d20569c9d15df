package dev.roster.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/** One request through HAProxy for a pool (chosen by the Host header); tells which member answered. */
final class Probe {
    private Probe() {
    }

    /** The member that answered, or null for an error status or no answer. */
    static String member(String frontendUrl, String pool) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(frontendUrl + "/").toURL().openConnection();
            connection.setRequestProperty("Host", pool + ".bench");
            connection.setRequestProperty("Connection", "close");
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            try {
                if (connection.getResponseCode() != 200) {
                    return null;
                }
                String body = new String(connection.getInputStream().readAllBytes());
                int start = body.indexOf("\"member\":\"");
                return start < 0 ? null : body.substring(start + 10, body.indexOf('"', start + 10));
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }
}
