/** Retry policies: how many attempts a step gets, how long it waits between them, and which failures count. */
package dev.stepwise.core.retry;
