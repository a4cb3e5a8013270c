/**
 * A Stepwise plan modelled on AWS's AWSSupport-UpgradeWindowsAWSDrivers runbook ({@link
 * dev.stepwise.aws.drivers.WindowsDriverUpgrade}), with Stepwise's own read-only preflights and offline script
 * ({@link dev.stepwise.aws.drivers.OfflineScript}); the runbook's own definition and scripts are not public.
 */
package dev.stepwise.aws.drivers;
