/** The running machinery of Stepwise; not public API, and may change in any release. */
package dev.stepwise.core.internal;
