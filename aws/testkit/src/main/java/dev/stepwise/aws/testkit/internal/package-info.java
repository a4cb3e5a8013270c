/** The testkit's machinery (discovery, processes, the proxy's handlers and wire formats); not public API. */
package dev.stepwise.aws.testkit.internal;
