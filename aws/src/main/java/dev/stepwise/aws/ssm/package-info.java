/** Reusable SSM steps: the managed-instance check, Run Command in batches, and Automation executions. */
package dev.stepwise.aws.ssm;
