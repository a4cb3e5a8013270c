/** Running plans: the runner, its clock, events, and the results it returns. */
@StepwiseStyle
package dev.stepwise.core.run;

import dev.stepwise.core.StepwiseStyle;
