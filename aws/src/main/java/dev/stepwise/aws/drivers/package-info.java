/** The AWSSupport-UpgradeWindowsAWSDrivers runbook as a Stepwise plan. */
package dev.stepwise.aws.drivers;
