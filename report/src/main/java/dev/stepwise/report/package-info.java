/**
 * Reports of runs and rollouts for people and other tools: a self-contained HTML page with plan diagram and
 * timeline, a Mermaid chart of a rollout, and a rollout's result read back from JSON.
 */
package dev.stepwise.report;
