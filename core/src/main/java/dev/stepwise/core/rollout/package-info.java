/** Fleet rollouts: one plan run per target, over ordered waves with rate control, error budgets, soak periods, gates, approvals and maintenance windows. */
@StepwiseStyle
package dev.stepwise.core.rollout;

import dev.stepwise.core.StepwiseStyle;
