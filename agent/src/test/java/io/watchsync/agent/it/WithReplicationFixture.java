package io.watchsync.agent.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gives each test a fresh {@link ReplicationFixture} in its own temporary directory, and closes it
 * (agent, then rsync daemon) after the test's own clean-up has run.
 */
abstract class WithReplicationFixture {
  @TempDir Path work;
  ReplicationFixture f;

  @BeforeEach
  void createReplicationFixture() throws Exception {
    f = new ReplicationFixture(work);
  }

  @AfterEach
  void closeReplicationFixture() throws Exception {
    f.close();
  }
}
