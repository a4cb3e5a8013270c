/** Reusable EC2 steps: instance facts and what a stop would meet and lose, AMI backups tagged on creation, stop and start, ENA support. */
package dev.stepwise.aws.ec2;
