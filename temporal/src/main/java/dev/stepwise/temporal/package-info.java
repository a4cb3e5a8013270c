/** Stepwise plans and rollouts run as Temporal workflows: workers register them by name, clients start, query, signal and cancel them. */
package dev.stepwise.temporal;
