/** Retry policies: how many attempts a step gets, how long it waits between them, and which failures count. */
@StepwiseStyle
package dev.stepwise.core.retry;

import dev.stepwise.core.StepwiseStyle;
