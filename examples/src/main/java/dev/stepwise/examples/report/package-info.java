/** A self-contained HTML report of a run or a rollout: plan diagram, timeline and tables, with no network access. */
package dev.stepwise.examples.report;
