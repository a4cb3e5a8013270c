/** Plans, steps, typed keys and inputs: the immutable description of what a run will do. */
package dev.stepwise.core.plan;
