/** The {@code stepwise} command line: picocli subcommands over the runbooks, progress on a terminal, one runnable jar. */
package dev.stepwise.cli;
