/** Fleet rollouts: one plan run per target, over ordered waves with rate control, error budgets, soak periods (optionally watched: a health check evaluated while the soak lasts), gates, approvals and maintenance windows. */
@StepwiseStyle
package dev.stepwise.core.rollout;

import dev.stepwise.core.StepwiseStyle;
