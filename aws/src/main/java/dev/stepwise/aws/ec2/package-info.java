/** Reusable EC2 steps: instance facts, AMI backups, stop and start, ENA support. */
package dev.stepwise.aws.ec2;
