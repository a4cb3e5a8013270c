/** Polling: waiting on the runner's clock, with a timeout, until something a step started is done. */
package dev.stepwise.core.poll;
