package org.stagehand.backend.hsm;

/** The spectrum preset against its stand-in. */
class SpectrumPresetTest extends HsmPresetContractTest {

    @Override
    HsmPreset preset() {
        return HsmPreset.SPECTRUM;
    }
}
