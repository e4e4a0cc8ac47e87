package org.chexaudit.pipelines.cli;

import java.beans.Introspector;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Registers with Beam only the options interfaces a command line uses. Beam's {@link PipelineOptionsFactory}
 * registers, when its class initialises, every interface its {@link PipelineOptionsRegistrar}s list (the
 * Direct and Flink runners', Hadoop's, AWS's, Google Cloud's, Kinesis's... about thirty with their parents),
 * validating each against all registered before it: about 2 s of every command's start-up on two cores,
 * more than a tenth of {@code cohort} (issue 15). Here Beam initialises without the registrars and the
 * command registers its own options interface plus each registrar's interface that declares an option the
 * command line names ({@code --flinkMaster}, {@code --hdfsConfiguration}, {@code --awsRegion}...). Every
 * option stays available; an interface the runner or a file system needs later is registered by its own
 * {@code as(...)} when used.
 *
 * <p>Works only when it runs before anything else touches {@code PipelineOptionsFactory} in this JVM; after
 * that (tests, a second command) Beam has registered everything already and this changes nothing.
 */
final class OptionsRegistry {
  static final String REGISTRARS = "META-INF/services/" + PipelineOptionsRegistrar.class.getName();

  private OptionsRegistry() {}

  /** Initialises Beam's options without its registrars, then registers {@code type} and what {@code args} use. */
  static void registerFor(Class<? extends PipelineOptions> type, String[] args) {
    ClassLoader loader = OptionsRegistry.class.getClassLoader();
    Set<Class<? extends PipelineOptions>> available = registrarInterfaces(loader);
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    thread.setContextClassLoader(new WithoutRegistrars(loader)); // Beam looks its registrars up here
    try {
      Class.forName(PipelineOptionsFactory.class.getName(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(context);
    }
    PipelineOptionsFactory.register(type);
    for (Class<? extends PipelineOptions> iface : available) {
      if (namesAnOptionOf(args, iface)) {
        PipelineOptionsFactory.register(iface);
      }
    }
  }

  /** The interfaces every registrar on the class path lists, in their order. */
  static Set<Class<? extends PipelineOptions>> registrarInterfaces(ClassLoader loader) {
    Set<Class<? extends PipelineOptions>> all = new LinkedHashSet<>();
    for (PipelineOptionsRegistrar r : ServiceLoader.load(PipelineOptionsRegistrar.class, loader)) {
      r.getPipelineOptions().forEach(all::add);
    }
    return all;
  }

  /**
   * Whether an argument {@code --name} or {@code --name=value} names an option of {@code iface} or of an
   * interface it extends, leaving out those of {@link PipelineOptions} itself ({@code --runner}...), which
   * every interface has.
   */
  static boolean namesAnOptionOf(String[] args, Class<?> iface) {
    Set<String> names = new LinkedHashSet<>();
    for (Method m : iface.getMethods()) {
      if (m.getDeclaringClass().isAssignableFrom(PipelineOptions.class)) {
        continue;
      }
      String n = m.getName();
      if (m.getParameterCount() == 0 && n.startsWith("get") && n.length() > 3) {
        names.add(Introspector.decapitalize(n.substring(3)));
      } else if (m.getParameterCount() == 0 && n.startsWith("is") && n.length() > 2) {
        names.add(Introspector.decapitalize(n.substring(2)));
      }
    }
    for (String a : args) {
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        if (names.contains(eq < 0 ? a.substring(2) : a.substring(2, eq))) {
          return true;
        }
      }
    }
    return false;
  }

  /** A class loader that finds everything its parent does but the options registrars' service file. */
  private static final class WithoutRegistrars extends ClassLoader {
    WithoutRegistrars(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return REGISTRARS.equals(name) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    @Override
    public URL getResource(String name) {
      return REGISTRARS.equals(name) ? null : super.getResource(name);
    }
  }
}
