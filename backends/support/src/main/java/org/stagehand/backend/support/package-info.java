/**
 * Plumbing the shipped backends share, written once: starting and ending external tools
 * ({@link org.stagehand.backend.support.Processes}), finding them
 * ({@link org.stagehand.backend.support.Executables}), daemon threads. Not part of the SPI: a
 * plugin may use it, but nothing here is promised to stay.
 */
package org.stagehand.backend.support;
