/** Durable runs: journals that record each step as it happens, and the stores that keep them. */
package dev.stepwise.core.journal;
