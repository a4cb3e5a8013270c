/** An Aviatrix controller client, its version model, and a plan that steps a controller through its release train. */
@StepwiseStyle
package dev.stepwise.aviatrix;

import dev.stepwise.core.StepwiseStyle;
