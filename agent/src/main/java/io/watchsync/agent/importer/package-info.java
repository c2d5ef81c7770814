/**
 * {@code watchsync import-sersync}: a sersync confxml.xml turned into a watchsync.yml, with what
 * could not be carried over listed.
 */
package io.watchsync.agent.importer;
