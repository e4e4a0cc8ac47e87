package org.chexaudit.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.pekko.PekkoRpcSystemLoader;
import org.junit.jupiter.api.Test;

class SharedRpcSystemLoaderTest {

  @Test
  void flinkLoadsThisLoadersRpcSystemAndEveryClusterGetsPekkoFromOneClassLoader() throws Exception {
    RpcSystem first = RpcSystem.load(new Configuration());
    ClassLoader firstPekko = startAndStopLocalService(first);
    first.close(); // as a mini cluster's shutdown does

    RpcSystem second = RpcSystem.load(new Configuration());
    ClassLoader secondPekko = startAndStopLocalService(second);
    second.close();

    assertThat(first.getClass().getName(), is(SharedRpcSystemLoader.class.getName() + "$Unclosable"));
    // Pekko's classes come from the extracted jar's loader, not Flink's, and from the same one both times
    assertThat(firstPekko, not(sameInstance(RpcSystem.class.getClassLoader())));
    assertThat(secondPekko, sameInstance(firstPekko));
  }

  @Test
  void answersAsFlinksOwnLoadersSystemDoes() throws Exception {
    Configuration config = new Configuration();
    RpcSystem ours = new SharedRpcSystemLoader().loadRpcSystem(config);
    try (RpcSystem flinks = new PekkoRpcSystemLoader().loadRpcSystem(config)) {
      assertThat(ours.getMaximumMessageSizeInBytes(config), is(flinks.getMaximumMessageSizeInBytes(config)));
      assertThat(ours.getRpcUrl("localhost", 6123, "jobmanager", AddressResolution.NO_ADDRESS_RESOLUTION, config),
          is(flinks.getRpcUrl("localhost", 6123, "jobmanager", AddressResolution.NO_ADDRESS_RESOLUTION, config)));
    }
    assertThat(new SharedRpcSystemLoader().getLoadPriority() < new PekkoRpcSystemLoader().getLoadPriority(), is(true));
  }

  /** Starts a local RPC service as a mini cluster does, stops it, and returns the class loader of its class. */
  private static ClassLoader startAndStopLocalService(RpcSystem rpc) throws Exception {
    RpcService service = rpc.localServiceBuilder(new Configuration()).createAndStart();
    try {
      return service.getClass().getClassLoader();
    } finally {
      service.closeAsync().get();
    }
  }
}
