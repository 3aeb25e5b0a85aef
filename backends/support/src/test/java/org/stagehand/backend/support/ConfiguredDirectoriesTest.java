package org.stagehand.backend.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfiguredDirectoriesTest {

    @TempDir
    Path temp;

    @Test
    void readableDirectoryIsGivenAsItsRealPath() throws Exception {
        Path real = Files.createDirectories(temp.resolve("real"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real);

        assertThat(ConfiguredDirectories.readable("backend.root", link.toString())).isEqualTo(real.toRealPath());
    }

    @Test
    void missingValueOrFileInsteadOfDirectoryNamesTheKey() throws Exception {
        Path file = Files.writeString(temp.resolve("file"), "x");

        assertThatThrownBy(() -> ConfiguredDirectories.readable("backend.root", " ")).hasMessage("backend.root: missing");
        assertThatThrownBy(() -> ConfiguredDirectories.readable("backend.fileSystems", file.toString()))
                .hasMessage("backend.fileSystems: " + file + " is not a directory");
    }

    @Test
    void writableDirectoryIsCreatedAndAFileInTheWayNamesTheKey() throws Exception {
        Path created = ConfiguredDirectories.writable("backend.commandDirectory", temp.resolve("a/b"));
        Path file = Files.writeString(temp.resolve("file"), "x");

        assertThat(created).isDirectory();
        assertThatThrownBy(() -> ConfiguredDirectories.writable("backend.commandDirectory", file.resolve("c")))
                .hasMessageStartingWith("backend.commandDirectory: cannot create ");
    }
}
