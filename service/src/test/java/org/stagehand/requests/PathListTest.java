package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stagehand.area.RelativePath;
import org.stagehand.requests.PathRequest.RequestedPath;

class PathListTest {

    private static List<RequestedPath> roundTrip(List<RequestedPath> paths) {
        return PathList.pathsOf(new PathList("fts", 60L, paths).text());
    }

    @Test
    void pathsComeBackAsStoredInOrderWithRefusalsAndMetadata() {
        List<RequestedPath> paths = List.of(
                RequestedPath.of("/archive/d/a.dat", new RelativePath("d/a.dat"), null),
                RequestedPath.of("/archive/d/b%20c.dat", new RelativePath("d/b c.dat"), "{\"site\":{\"k\":\"v\"}}"),
                RequestedPath.refused("/elsewhere/x", "'/elsewhere/x' is outside this site's namespace"),
                RequestedPath.of("/archive/\u00e9t\u00e9/\"q\"\\n", new RelativePath("\u00e9t\u00e9/\"q\"\\n"), null));

        assertThat(roundTrip(paths)).containsExactlyElementsOf(paths);
    }

    @Test
    void aStagingPathThatEndsItsNameIsStoredAsWhereItBegins() {
        String text = new PathList("fts", null, List.of(
                RequestedPath.of("/archive/tape/001/0000001.bin", new RelativePath("tape/001/0000001.bin"), null))).text();

        assertThat(text).isEqualTo("[[\"/archive/tape/001/0000001.bin\",9]]");
        assertThat(PathList.pathsOf(text).get(0).stagingPath()).isEqualTo(new RelativePath("tape/001/0000001.bin"));
    }

    @Test
    void aTextThatNoListWroteIsRefused() {
        assertThatThrownBy(() -> PathList.pathsOf("[[\"/archive/a\"]]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathList.pathsOf("[[\"/archive/a\", null, null, null]]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathList.pathsOf("{}")).isInstanceOf(IllegalArgumentException.class);
    }
}
