/**
 * Run journals in DynamoDB, for teams that run Stepwise on several machines: {@link
 * dev.stepwise.aws.journal.DynamoDbJournalStore} keeps every run's journal in one table and lets only the
 * runner holding a run's lease write to it, so two runners never drive the same run at once, and a run
 * whose runner died can be resumed from any machine once its lease expires.
 */
package dev.stepwise.aws.journal;
