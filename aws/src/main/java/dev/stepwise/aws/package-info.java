/** AWS building blocks, the Windows drivers upgrade runbook and Patch Manager rollouts for Stepwise. */
package dev.stepwise.aws;
