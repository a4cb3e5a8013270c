/** AWS for Stepwise: the context every AWS step acts in, retry policies for AWS, and typed failures. */
@StepwiseStyle
package dev.stepwise.aws;

import dev.stepwise.core.StepwiseStyle;
