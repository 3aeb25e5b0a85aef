package org.stagehand.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decodes UTF-8 without stopping at a bad byte: each malformed sequence becomes U+FFFD and its
 * position (in characters read) is remembered, so that the CSV record holding it can be refused by
 * its line while the rest of the file is imported. It also counts lines, so that a record can be
 * named by the line it starts on even when a quoted field holds newlines. A leading byte-order mark
 * is dropped.
 */
final class Utf8CheckingReader extends Reader {

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192).flip();
    private final CharBuffer chars = CharBuffer.allocate(8192).flip();
    private final Deque<Long> badPositions = new ArrayDeque<>();
    /** Positions of line-break characters not yet passed, each as {@code 2 * position + (1 if '\n')}. */
    private final Deque<Long> breaks = new ArrayDeque<>();
    private long position;
    private long linesBefore;
    private boolean endOfInput;
    private boolean started;

    Utf8CheckingReader(InputStream in) {
        this.in = in;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!decodeMore()) {
                return -1;
            }
        }
        int n = Math.min(length, chars.remaining());
        chars.get(buffer, offset, n);
        for (int i = 0; i < n; i++) {
            char c = buffer[offset + i];
            if (c == '\n' || c == '\r') {
                breaks.add(2 * (position + i) + (c == '\n' ? 1 : 0));
            }
        }
        position += n;
        return n;
    }

    /** Whether any malformed sequence lies at a position from {@code start} up to {@code end}, excluded; forgets those before {@code end}. */
    boolean malformedBetween(long start, long end) {
        boolean found = false;
        while (!badPositions.isEmpty() && badPositions.peekFirst() < end) {
            found |= badPositions.pollFirst() >= start;
        }
        return found;
    }

    /**
     * The line (from 1) on which a record reported at {@code charPosition} starts: past the blank
     * lines the parser skipped from there. Positions must not go backwards.
     */
    long lineOf(long charPosition) {
        long start = charPosition;
        while (!breaks.isEmpty() && breaks.peekFirst() / 2 <= start) {
            long next = breaks.pollFirst();
            if (next % 2 == 1) {
                linesBefore++;
            }
            if (next / 2 == start) {
                start++;
            }
        }
        return linesBefore + 1;
    }

    private boolean decodeMore() throws IOException {
        chars.compact();
        try {
            while (chars.position() == 0) {
                if (!bytes.hasRemaining() && endOfInput) {
                    CoderResult flushed = decoder.flush(chars);
                    if (flushed.isError()) {
                        badPositions.add(position);
                    }
                    return chars.position() > 0;
                }
                if (!endOfInput) {
                    fill();
                }
                CoderResult result = decoder.decode(bytes, chars, endOfInput);
                if (result.isError()) {
                    bytes.position(bytes.position() + result.length());
                    badPositions.add(position + chars.position());
                    chars.put('\uFFFD');
                }
            }
            return true;
        } finally {
            chars.flip();
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
        if (!started && (bytes.remaining() >= 3 || endOfInput)) {
            started = true;
            if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                    && (bytes.get(2) & 0xFF) == 0xBF) {
                bytes.position(3);
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
