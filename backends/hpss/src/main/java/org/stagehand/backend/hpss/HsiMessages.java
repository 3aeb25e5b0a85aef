package org.stagehand.backend.hpss;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code hsi} says: which output lines are errors, what an error means, and what an
 * exit status means. Exit statuses follow sysexits(3).
 *
 * <p>hsi prints an error on two lines, the message and then the path, indented:
 * <pre>
 * *** ls: No such file or directory [-2: HPSS_ENOENT]
 *     /home/p/proj/archive/run7/reads.fastq
 * </pre>
 * ({@link HsiOutput} pairs the two). When hsi reads commands from standard input it prints a
 * prompt without a newline, so the next line arrives glued to it ({@code A:/home/u-> *** ls: ...});
 * {@link #stripPrompt} takes it off.
 */
final class HsiMessages {

    /** What an hsi error means for the file it names. */
    enum ErrorKind {
        /** {@code HPSS_ENOENT}: not in HPSS; permanent. */
        MISSING,
        /** {@code HPSS_EISDIR}: a directory, not a file; permanent. */
        NOT_A_FILE,
        /** {@code HPSS_EACCES}, {@code HPSS_EPERM}: this account may not read it; permanent. */
        PERMISSION,
        /** Anything else ({@code HPSS_ETIMEDOUT}, {@code HPSS_EAGAIN}, connection errors...): try again. */
        TRANSIENT;

        boolean permanent() {
            return this != TRANSIENT;
        }
    }

    /**
     * One hsi error.
     *
     * @param line the message line, prompt and surrounding blanks removed
     * @param path the path hsi named on the line after it, or null when it named none
     */
    record HsiError(String line, String path) {

        ErrorKind kind() {
            return classify(line);
        }

        /** Whether the error is about {@code candidate}: named on the path line, or on the message line itself. */
        boolean isAbout(String candidate) {
            return path != null ? path.equals(candidate) : mentions(line, candidate);
        }

        /** The whole error, path included, for messages. */
        String text() {
            return path == null ? line : line + " " + path;
        }
    }

    /** {@code [-2: HPSS_ENOENT]}: hsi's error number and name. */
    private static final Pattern CODE = Pattern.compile("\\[\\s*-?\\d+\\s*:\\s*(HPSS_[A-Z0-9_]+)\\s*]");
    /** One or more prompts at the start of a line ({@code A:/home/u-> }, {@code O:[hpss]/home/u->}, older hsi's {@code ? }). */
    private static final Pattern PROMPT = Pattern.compile("^(?:(?:[^\\s*?]\\S*?->|\\?)[ \\t]*)+");
    private static final Pattern MISSING_TEXT = Pattern.compile("(?i)no such file");
    private static final Pattern NOT_A_FILE_TEXT = Pattern.compile("(?i)is a directory|not a regular file");
    private static final Pattern PERMISSION_TEXT = Pattern.compile("(?i)permission denied|not permitted");

    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;

    private HsiMessages() {
    }

    /** The line without the hsi prompts glued to its start. */
    static String stripPrompt(String line) {
        Matcher prompt = PROMPT.matcher(line);
        return prompt.find() ? line.substring(prompt.end()) : line;
    }

    /** Whether the line (prompt removed) is one of hsi's error lines ({@code *** ls: ...} and the like). */
    static boolean isError(String line) {
        return line.startsWith("***");
    }

    /** What an error line means: by its HPSS error name when it has one, else by its words. */
    static ErrorKind classify(String errorLine) {
        Matcher code = CODE.matcher(errorLine);
        if (code.find()) {
            return switch (code.group(1)) {
                case "HPSS_ENOENT" -> ErrorKind.MISSING;
                case "HPSS_EISDIR" -> ErrorKind.NOT_A_FILE;
                case "HPSS_EACCES", "HPSS_EPERM" -> ErrorKind.PERMISSION;
                default -> ErrorKind.TRANSIENT;
            };
        }
        if (MISSING_TEXT.matcher(errorLine).find()) {
            return ErrorKind.MISSING;
        }
        if (NOT_A_FILE_TEXT.matcher(errorLine).find()) {
            return ErrorKind.NOT_A_FILE;
        }
        return PERMISSION_TEXT.matcher(errorLine).find() ? ErrorKind.PERMISSION : ErrorKind.TRANSIENT;
    }

    /**
     * The outcome message for an error about {@code path}: what it means first, hsi's words after.
     *
     * @param during what hsi was doing ({@code "hsi ls -P"}, {@code "hsi get"})
     */
    static String describe(HsiError error, String path, String during) {
        return switch (error.kind()) {
            case MISSING -> "not in HPSS: " + path + " (" + during + ": " + error.text() + ")";
            case NOT_A_FILE -> path + " is a directory in HPSS, not a file (" + during + ": " + error.text() + ")";
            case PERMISSION -> "HPSS does not let this service's account read " + path + " (" + during + ": "
                    + error.text() + "); grant it read access, or check the user in backend.hsiArguments";
            case TRANSIENT -> during + ": " + error.text();
        };
    }

    /** Whether the exit status is worth retrying (temporary failure, unavailable, I/O, killed). */
    static boolean isTransientExit(int exitCode) {
        return exitCode != EX_USAGE && exitCode != EX_NOINPUT && exitCode != EX_NOPERM;
    }

    /** What an exit status means, for messages. */
    static String describeExit(int exitCode) {
        String meaning = switch (exitCode) {
            case EX_OK -> "success";
            case EX_USAGE -> "usage error";
            case 65 -> "data error";
            case EX_NOINPUT -> "input missing";
            case 69 -> "HPSS unavailable";
            case 70 -> "internal error";
            case 71 -> "system error";
            case 72 -> "critical OS file missing";
            case 73 -> "cannot create local file";
            case 74 -> "I/O error";
            case EX_TEMPFAIL -> "temporary failure";
            case 76 -> "protocol error";
            case EX_NOPERM -> "permission denied";
            case 78 -> "configuration error";
            case -1 -> "killed";
            default -> exitCode > 128 ? "killed by signal " + (exitCode - 128) : "unexpected status";
        };
        return "exit " + exitCode + ", " + meaning;
    }

    /**
     * Whether {@code line} names {@code path} as a whole path (not as the prefix of a longer one,
     * e.g. {@code /a/b} inside {@code /a/b2}).
     */
    static boolean mentions(String line, String path) {
        int from = 0;
        while (true) {
            int at = line.indexOf(path, from);
            if (at < 0) {
                return false;
            }
            int end = at + path.length();
            boolean startsClean = at == 0 || isBoundary(line.charAt(at - 1));
            boolean endsClean = end == line.length() || isBoundary(line.charAt(end));
            if (startsClean && endsClean) {
                return true;
            }
            from = at + 1;
        }
    }

    private static boolean isBoundary(char c) {
        return Character.isWhitespace(c) || c == ':' || c == '"' || c == '\'' || c == ',' || c == '['
                || c == ']' || c == '(' || c == ')';
    }
}
