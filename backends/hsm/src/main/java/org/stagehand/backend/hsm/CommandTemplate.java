package org.stagehand.backend.hsm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command line with placeholders, run without a shell: {@value #FILES} as a whole argument
 * becomes one argument per file, {@value #FILE_LIST} anywhere in an argument becomes the path of a
 * file listing the files one per line, {@value #FILE_SYSTEM} the file system the files belong to.
 *
 * @param argv the program and its arguments
 */
record CommandTemplate(List<String> argv) {

    static final String FILES = "{files}";
    static final String FILE_LIST = "{fileList}";
    static final String FILE_SYSTEM = "{fileSystem}";

    CommandTemplate {
        argv = List.copyOf(argv);
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("names no program");
        }
        if (argv.stream().noneMatch(arg -> arg.equals(FILES) || arg.contains(FILE_LIST))) {
            throw new IllegalArgumentException("passes no files: use " + FILES + " as an argument or "
                    + FILE_LIST + " in one");
        }
    }

    /** The program, as configured (a path or a name looked up on {@code PATH}). */
    String program() {
        return argv.get(0);
    }

    /** The program's file name, for messages. */
    String programName() {
        return Path.of(program()).getFileName().toString();
    }

    boolean usesFileList() {
        return argv.stream().anyMatch(arg -> arg.contains(FILE_LIST));
    }

    boolean usesFileSystem() {
        return argv.stream().anyMatch(arg -> arg.contains(FILE_SYSTEM));
    }

    /** The same template with the program replaced when {@code programs} names it. */
    CommandTemplate withProgramsFrom(Map<String, String> programs) {
        String replacement = programs.get(program());
        if (replacement == null) {
            return this;
        }
        List<String> replaced = new ArrayList<>(argv);
        replaced.set(0, replacement);
        return new CommandTemplate(replaced);
    }

    /**
     * The command line for these files.
     *
     * @param fileList the list file, when {@link #usesFileList()}
     * @param fileSystem the files' file system, when {@link #usesFileSystem()}
     */
    List<String> expand(List<Path> files, Path fileList, Path fileSystem) {
        List<String> line = new ArrayList<>();
        for (String arg : argv) {
            if (arg.equals(FILES)) {
                files.forEach(file -> line.add(file.toString()));
                continue;
            }
            String expanded = arg;
            if (fileList != null) {
                expanded = expanded.replace(FILE_LIST, fileList.toString());
            }
            if (fileSystem != null) {
                expanded = expanded.replace(FILE_SYSTEM, fileSystem.toString());
            }
            line.add(expanded);
        }
        return line;
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
