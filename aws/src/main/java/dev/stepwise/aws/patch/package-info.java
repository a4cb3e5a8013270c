/** Patch Manager through Stepwise: targets by ids or tags, Scan and Install with AWS-RunPatchBaseline, compliance, and staged non-production-to-production patch rollouts. */
package dev.stepwise.aws.patch;
