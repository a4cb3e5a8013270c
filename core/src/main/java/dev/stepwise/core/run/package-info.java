/** Running plans: the runner, its clock, events, and the results it returns. */
package dev.stepwise.core.run;
