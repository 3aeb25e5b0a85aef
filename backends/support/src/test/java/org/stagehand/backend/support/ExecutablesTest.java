package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

    @TempDir
    Path temp;

    private Path executable(Path directory, String name) throws Exception {
        Files.createDirectories(directory);
        Path file = Files.writeString(directory.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void bareNameIsFoundInTheFirstPathDirectoryHoldingAnExecutableFile() throws Exception {
        Path first = temp.resolve("first");
        Files.createDirectories(first.resolve("tool")); // a directory of that name is no tool
        Path second = executable(temp.resolve("second"), "tool");
        Files.writeString(Files.createDirectories(temp.resolve("third")).resolve("tool"), "not executable");

        String path = String.join(File.pathSeparator, "", first.toString(), temp.resolve("third").toString(), second.getParent().toString());

        assertThat(Executables.find("tool", path)).contains(second);
    }

    @Test
    void pathWithASlashIsTakenAsItIsAndNotLookedUp() throws Exception {
        Path tool = executable(temp.resolve("bin"), "tool");

        assertThat(Executables.find(tool.toString(), "")).contains(tool);
        assertThat(Executables.find(temp.resolve("bin/missing").toString(), tool.getParent().toString())).isEmpty();
    }

    @Test
    void missingToolStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> Executables.require("backend.hsiPath", "no-such-tool", temp.toString()))
                .hasMessage("backend.hsiPath: 'no-such-tool' is not on the PATH; give its full path");
        assertThatThrownBy(() -> Executables.require("backend.hsiPath", "/no/such/tool", null))
                .hasMessage("backend.hsiPath: /no/such/tool is not an executable file");
        assertThat(Executables.find("tool", null)).isEmpty();
    }
}
