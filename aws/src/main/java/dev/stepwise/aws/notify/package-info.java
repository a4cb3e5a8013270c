/** Notifiers on AWS: publish notices to an Amazon SNS topic, or e-mail them to a list through Amazon SES. */
package dev.stepwise.aws.notify;
