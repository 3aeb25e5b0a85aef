package org.stagehand.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageScopeTest {

    @Test
    void aScopeCoversItsPathAndWhatIsBelowItOnly() {
        StorageScope scope = StorageScope.parse("storage.stage:/data/").get(0);

        assertThat(scope).isEqualTo(new StorageScope("storage.stage", "/data"));
        assertThat(scope.covers("/data")).isTrue();
        assertThat(scope.covers("/data/run1/f.root")).isTrue();
        assertThat(scope.covers("/database/f.root")).isFalse();
        assertThat(scope.covers("/")).isFalse();
    }

    @Test
    void theRootAndAScopeWithoutPathCoverEverything() {
        assertThat(StorageScope.parse("storage.read:/").get(0).covers("/any/file")).isTrue();
        assertThat(StorageScope.parse("storage.read").get(0).covers("/any/file")).isTrue();
    }

    @Test
    void otherScopesAndPathsThatAreNotAbsoluteOrClimbGrantNothing() {
        assertThat(StorageScope.parse("openid offline_access storage.stage:data storage.stage:/a/../b compute.read"))
                .isEmpty();
    }
}
