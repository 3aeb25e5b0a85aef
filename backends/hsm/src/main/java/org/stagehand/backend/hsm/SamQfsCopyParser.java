package org.stagehand.backend.hsm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stagehand.backend.LocatesOnTape.TapePlace;

/**
 * Reads the archive copies in {@code sls -D} blocks. As Oracle's sls(1) man page and the SAM
 * archive guide show the format, each copy is a line {@code copy <n>: <four flag characters>
 * <date> <position>.<offset> <media type> <VSN>}, position and offset in hexadecimal (the start of
 * the archive file on the volume, and the file's place inside it); a file that overflowed onto
 * several volumes has a copy line without a position, followed by indented {@code section <i>:
 * <length> <position>.<offset> <VSN>} lines, one per volume.
 *
 * <p>A file is placed where its first copy without a flag lies (a stale or damaged copy is not
 * staged from); an overflowed copy where its first section lies. A copy on a disk archive
 * ({@code dk}) needs no mount. A file with no usable copy is left out.
 */
final class SamQfsCopyParser implements TapePlaceParser {

    private static final Pattern COPY = Pattern.compile(
            "^\\s+copy\\s*(?<number>[1-4])\\s*:\\s+(?<flags>\\S{4})\\s+(?<rest>.*?)\\s*$");
    private static final Pattern COPY_PLACE = Pattern.compile(
            "\\s(?<position>[0-9a-fA-F]{1,15})\\.(?<offset>[0-9a-fA-F]{1,15})\\s+(?<media>[a-z0-9]{2})\\s+(?<vsn>\\S+)$");
    private static final Pattern OVERFLOWED_COPY = Pattern.compile("\\s(?<media>[a-z0-9]{2})$");
    private static final Pattern SECTION = Pattern.compile(
            "^\\s+section\\s+(?<index>\\d+)\\s*:\\s+\\d+\\s+(?<position>[0-9a-fA-F]{1,15})\\.(?<offset>[0-9a-fA-F]{1,15})\\s+(?<vsn>\\S+)\\s*$");
    /** Media types of disk archives (mcf(4)): a stage from them mounts nothing. */
    private static final Set<String> DISK_MEDIA = Set.of("dk", "cb");

    @Override
    public Map<String, TapePlace> places(String output) {
        Map<String, TapePlace> places = new LinkedHashMap<>();
        String current = null;
        // the media type of a usable overflowed copy whose first section is still to come
        String overflowMedia = null;
        for (String line : output.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                current = line.substring(0, line.length() - 1);
                overflowMedia = null;
                continue;
            }
            if (current == null || places.containsKey(current)) {
                continue;
            }
            Matcher copy = COPY.matcher(line);
            if (copy.matches()) {
                overflowMedia = null;
                if (!copy.group("flags").equals("----")) {
                    continue;
                }
                Matcher place = COPY_PLACE.matcher(" " + copy.group("rest"));
                Matcher overflowed = OVERFLOWED_COPY.matcher(" " + copy.group("rest"));
                if (place.find()) {
                    places.put(current, place(place.group("media"), place.group("vsn"), place.group("position"),
                            place.group("offset")));
                } else if (overflowed.find()) {
                    overflowMedia = overflowed.group("media");
                }
                continue;
            }
            Matcher section = SECTION.matcher(line);
            if (overflowMedia != null && section.matches()) {
                places.put(current, place(overflowMedia, section.group("vsn"), section.group("position"),
                        section.group("offset")));
                overflowMedia = null;
            }
        }
        return places;
    }

    private static TapePlace place(String media, String vsn, String position, String offset) {
        if (DISK_MEDIA.contains(media)) {
            return TapePlace.onDisk();
        }
        return TapePlace.onTape(vsn, Long.parseLong(position, 16), Long.parseLong(offset, 16));
    }

    @Override
    public String toString() {
        return "sls -D copies";
    }
}
