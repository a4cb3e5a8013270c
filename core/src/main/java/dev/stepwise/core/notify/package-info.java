/** Notifications: tell the people a change affects before, during and after it, through pluggable notifiers. */
@StepwiseStyle
package dev.stepwise.core.notify;

import dev.stepwise.core.StepwiseStyle;
