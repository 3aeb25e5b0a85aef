package org.stagehand.backend.hpss;

import java.util.regex.Pattern;

/**
 * Reads what {@code hsi} says: which output lines are errors, whether an error is permanent, and
 * what an exit status means. Exit statuses follow sysexits(3).
 */
final class HsiMessages {

    /** Errors after which fetching the same file again cannot help. */
    private static final Pattern PERMANENT_ERROR = Pattern.compile(
            "(?i)no such file|HPSS_ENOENT|is a directory|HPSS_EISDIR|not a regular file"
                    + "|permission denied|HPSS_EACCES|HPSS_EPERM");

    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_NOINPUT = 66;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;

    private HsiMessages() {
    }

    /** Whether the line is one of hsi's error lines ({@code ***HSInnnn: ...} and the like). */
    static boolean isError(String line) {
        return line.startsWith("***");
    }

    /** Whether an error line says the file is missing, is not a file, or may not be read. */
    static boolean isPermanent(String errorLine) {
        return PERMANENT_ERROR.matcher(errorLine).find();
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
