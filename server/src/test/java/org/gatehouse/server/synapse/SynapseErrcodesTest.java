package org.gatehouse.server.synapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.gatehouse.auth.matrix.AppserviceAccountRoutes;
import org.junit.jupiter.api.Test;

/**
 * The error codes an appservice may meet at either server are the ones the Synapse Gatehouse is tested with sends
 * (asked of the installed Synapse itself, {@code .synapse/venv}), so a client sees the same code from both.
 */
class SynapseErrcodesTest {
  /** {@code synapse.api.errors.Codes.<name>} of the installed Synapse. */
  private static String synapseCode(String name) throws IOException, InterruptedException {
    if (!Files.isExecutable(SynapseStack.SYNAPSE_PYTHON)) {
      fail("Synapse is not installed (" + SynapseStack.SYNAPSE_PYTHON + " is missing): run .ci/install-test-deps");
    }
    Process python = new ProcessBuilder(SynapseStack.SYNAPSE_PYTHON.toString(), "-c",
        "from synapse.api.errors import Codes; print(Codes." + name + ".value)").redirectErrorStream(true).start();
    String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(python.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void anAppserviceThatLogsInOrRegistersWithoutInhibitLoginGetsTheErrcodeSynapseSends() throws Exception {
    // Synapse sends it on POST /register without inhibit_login (with and without delegated auth) and on
    // m.login.application_service logins; Gatehouse on the same two (AppserviceTest checks its answers).
    assertThat(AppserviceAccountRoutes.LOGIN_UNSUPPORTED).isEqualTo(synapseCode("APPSERVICE_LOGIN_UNSUPPORTED"));
  }
}
