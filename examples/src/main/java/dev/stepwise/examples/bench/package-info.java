/** Benchmarks: engine overhead under JMH, and a fleet run against Moto side by side with a hand-written baseline. */
package dev.stepwise.examples.bench;
