/**
 * Stepwise's typed failures; the concepts live in the {@code plan}, {@code retry} and {@code run} packages.
 */
package dev.stepwise.core;
