package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class EpochsTest {

    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant NOW = START.plusSeconds(30 * 86_400);
    private static final Instant PRUNED_BEFORE = NOW.minusSeconds(7 * 86_400);

    @Test
    void anEpochTellsWhenItsRunBeganInTwelveLowerCaseLettersAndDigits() {
        String epoch = Epochs.of(START, new Random(7));

        assertThat(epoch).hasSize(Epochs.LENGTH).matches("t[0-9a-z]{11}");
        assertThat(Epochs.startOf(epoch)).contains(START);
        assertThat(Epochs.of(START, new Random(8))).isNotEqualTo(epoch);
    }

    @Test
    void anEpochOfTheOlderFormOrAnyOtherTextTellsNoStart() {
        assertThat(Epochs.startOf("0123456789ab")).isEmpty();
        assertThat(Epochs.startOf("tshort")).isEmpty();
        assertThat(Epochs.startOf("T0000000AAAA")).isEmpty();
    }

    @Test
    void aRecordedRunIsOverOnceItIsNoLongerKeptAlive() {
        Predicate<String> over = Epochs.over(Map.of("0123456789ab", NOW.minusSeconds(1), "ffffffffffff", NOW.plusSeconds(60)),
                NOW, PRUNED_BEFORE);

        assertThat(over).accepts("0123456789ab").rejects("ffffffffffff");
    }

    @Test
    void aForgottenTimedRunThatBeganBeforeTheBoundIsStillOver() {
        Predicate<String> over = Epochs.over(Map.of(), NOW, PRUNED_BEFORE);

        assertThat(over).accepts(Epochs.of(START, new Random(1)));
    }

    @Test
    void anUnrecordedRunIsNotOverWhenItBeganAfterTheBoundOrItsEpochTellsNoStart() {
        Predicate<String> over = Epochs.over(Map.of(), NOW, PRUNED_BEFORE);

        assertThat(over).rejects(Epochs.of(PRUNED_BEFORE.plusSeconds(1), new Random(1)), "0123456789ab");
    }

    @Test
    void aRecordedRunThatBeganLongAgoAndIsStillAliveIsNotOver() {
        String epoch = Epochs.of(START, new Random(1));

        assertThat(Epochs.over(Map.of(epoch, NOW.plusSeconds(60)), NOW, PRUNED_BEFORE)).rejects(epoch);
    }
}
