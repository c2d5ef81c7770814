/**
 * The schema of {@code watchsync.yml} and of the quick command-line form: every configuration key,
 * its default and its checks, read from YAML with FILE:LINE messages; a new key goes here.
 */
package io.watchsync.agent.config;
