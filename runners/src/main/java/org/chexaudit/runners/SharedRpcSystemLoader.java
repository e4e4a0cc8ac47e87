package org.chexaudit.runners;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.classloading.SubmoduleClassLoader;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Loads Flink's RPC system (Pekko) once per JVM and gives every Flink cluster started in it the same one.
 *
 * <p>Flink's own loader ({@code PekkoRpcSystemLoader}) copies the 22 MB {@code flink-rpc-akka.jar} it carries to
 * a new temporary file for every cluster it starts and loads Pekko's classes from it in a class loader of its own,
 * closed with the cluster. Beam's {@code --flinkMaster=[local]} starts a mini cluster per pipeline, so every
 * pipeline run in one JVM (the tests, the in-process benchmarks, a library user's several pipelines) loaded and
 * compiled Pekko's ~1,450 classes again (0.4 s of actor system start per cluster here). This loader, found
 * through {@link ServiceLoader} before Flink's (a lower {@link #getLoadPriority}), extracts the jar once, keeps
 * its class loader for the life of the JVM, and hands out the RPC system with {@code close()} doing nothing; the
 * file is deleted when the JVM exits. The RPC services, actor systems and their threads are still made and
 * stopped per cluster, as before.
 */
public final class SharedRpcSystemLoader implements RpcSystemLoader {
  /** Below Flink's own loader's 0: {@code RpcSystem.load} tries the lowest first. */
  static final int LOAD_PRIORITY = -2;
  private static final String PEKKO_JAR = "flink-rpc-akka.jar";
  private static RpcSystem shared;

  @Override
  public int getLoadPriority() {
    return LOAD_PRIORITY;
  }

  @Override
  public RpcSystem loadRpcSystem(Configuration config) {
    return new Unclosable(shared());
  }

  /** The JVM's RPC system, loaded on first use. */
  static synchronized RpcSystem shared() {
    if (shared == null) {
      shared = load();
    }
    return shared;
  }

  private static RpcSystem load() {
    ClassLoader flink = RpcSystem.class.getClassLoader();
    try (InputStream jar = flink.getResourceAsStream(PEKKO_JAR)) {
      if (jar == null) {
        // not Flink's usual packaging: leave it to Flink's own loaders (RpcSystem.load tries the next one)
        throw new RpcLoaderException(PEKKO_JAR + " is not on the class path");
      }
      Path file = Files.createTempFile("flink-rpc-akka-shared", ".jar");
      file.toFile().deleteOnExit();
      Files.copy(jar, file, StandardCopyOption.REPLACE_EXISTING);
      ClassLoader pekko = new SubmoduleClassLoader(new URL[] {file.toUri().toURL()}, flink);
      return ServiceLoader.load(RpcSystem.class, pekko).iterator().next();
    } catch (IOException e) {
      throw new UncheckedIOException("could not extract Flink's RPC system", e);
    }
  }

  /** The shared RPC system, which a cluster's shutdown must not close. */
  private static final class Unclosable implements RpcSystem {
    private final RpcSystem rpc;

    Unclosable(RpcSystem rpc) {
      this.rpc = rpc;
    }

    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration config) {
      return rpc.localServiceBuilder(config);
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(Configuration config, String externalAddress,
        String externalPortRange) {
      return rpc.remoteServiceBuilder(config, externalAddress, externalPortRange);
    }

    @Override
    public String getRpcUrl(String hostname, int port, String endpointName, AddressResolution addressResolution,
        Configuration config) throws UnknownHostException {
      return rpc.getRpcUrl(hostname, port, endpointName, addressResolution, config);
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
      return rpc.getInetSocketAddressFromRpcUrl(url);
    }

    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
      return rpc.getMaximumMessageSizeInBytes(config);
    }

    @Override
    public void close() {
      // shared by every cluster of this JVM
    }
  }
}
