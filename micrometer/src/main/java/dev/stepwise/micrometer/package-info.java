/** Metrics and spans from Stepwise's run and rollout events, through Micrometer and its tracing facade. */
package dev.stepwise.micrometer;
