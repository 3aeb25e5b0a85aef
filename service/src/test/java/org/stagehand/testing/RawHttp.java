package org.stagehand.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand on a socket, for what {@code java.net.http} will not send: any
 * {@code Host}, malformed request lines and headers, smuggling attempts, a body trickled byte by byte.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** An answer as read off the socket: the status, the head's text and the body's. */
    public record Answer(int status, String head, String body) {
        /** A header's value, or null; names compare without case. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /**
     * Sends the bytes as they are, ends the sending side (so a body shorter than announced ends
     * there), and reads one answer.
     */
    public static Answer exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return read(socket.getInputStream());
        }
    }

    /** An answer whose body is kept as bytes, e.g. gzip-encoded. */
    public record BinaryAnswer(int status, String head, byte[] body) {
        public Answer text() {
            return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Like {@link #exchange}, keeping the body's bytes. */
    public static BinaryAnswer exchangeBinary(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readBinary(socket.getInputStream());
        }
    }

    /** Reads the head, then a body of {@code Content-Length} bytes, chunks, or up to the close. */
    public static Answer read(InputStream in) throws IOException {
        return readBinary(in).text();
    }

    /** Like {@link #read}, keeping the body's bytes. */
    public static BinaryAnswer readBinary(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before a whole answer: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headText.substring(9, 12));
        Answer headOnly = new Answer(status, headText, "");
        String length = headOnly.header("Content-Length");
        String encoding = headOnly.header("Transfer-Encoding");
        byte[] body;
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunks(in);
        } else {
            body = readToClose(in);
        }
        return new BinaryAnswer(status, headText, body);
    }

    private static byte[] readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in).split(";")[0].trim();
            int n = Integer.parseInt(size, 16);
            if (n == 0) {
                line(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static byte[] readToClose(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new IOException("no end to the answer's body within the socket timeout", e);
        }
    }
}
