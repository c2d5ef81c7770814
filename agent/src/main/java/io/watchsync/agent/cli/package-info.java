/**
 * The {@code watchsync} command line: one small picocli class per subcommand, which parses options
 * and calls into the packages that do the work.
 */
package io.watchsync.agent.cli;
