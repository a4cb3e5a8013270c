/** Patch Manager through Stepwise: targets by ids or tags, Scan and Install with AWS-RunPatchBaseline, compliance, and staged non-production-to-production patch rollouts. */
@StepwiseStyle
package dev.stepwise.aws.patch;

import dev.stepwise.core.StepwiseStyle;
