/** Plans, steps, typed keys and inputs: the immutable description of what a run will do. */
@StepwiseStyle
package dev.stepwise.core.plan;

import dev.stepwise.core.StepwiseStyle;
