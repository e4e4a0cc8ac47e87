package org.chexaudit.pipelines;

import org.chexaudit.pipelines.cli.Main;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.chexaudit.pipelines.stage.OptionsManifest;
import org.junit.jupiter.api.Test;

/**
 * Beam refuses, in one JVM, two options interfaces that declare the same property with a different
 * type or default. Every command's options are registered together here, as they are on a Flink
 * TaskManager or in this test JVM, so a conflicting option fails this test rather than a user's run;
 * and each property is declared once, in one interface, so that an option means the same in every
 * command (shared ones live in mixins such as {@code SeedOption}).
 */
class OptionsConsistencyTest {
  /** The options type of every command in this build (from the command table). */
  static List<Class<? extends PipelineOptions>> commandOptions() {
    List<Class<? extends PipelineOptions>> all = new ArrayList<>();
    for (Main.Entry e : Main.COMMANDS.values()) {
      all.add(e.options());
    }
    return all;
  }

  @Test
  void everyCommandsOptionsCanBeRegisteredInOneJvm() throws Exception {
    List<Class<? extends PipelineOptions>> all = commandOptions();
    all.forEach(PipelineOptionsFactory::register);
    for (Class<? extends PipelineOptions> c : all) {
      assertThat(c.getSimpleName(), PipelineOptionsFactory.as(c), notNullValue());
    }
    assertThat(all.size(), greaterThanOrEqualTo(8));
  }

  @Test
  void everyPropertyIsDeclaredInExactlyOneInterface() throws Exception {
    Map<String, Set<String>> declaredIn = new TreeMap<>();
    for (Class<?> iface : ownInterfaces(commandOptions())) {
      for (Method m : iface.getDeclaredMethods()) {
        if (m.getParameterCount() == 0 && (m.getName().startsWith("get") || m.getName().startsWith("is"))
            && !java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
          declaredIn.computeIfAbsent(OptionsManifest.propertyName(m), k -> new LinkedHashSet<>())
              .add(iface.getSimpleName());
        }
      }
    }
    declaredIn.values().removeIf(s -> s.size() == 1);
    assertThat("properties declared in more than one interface", declaredIn.toString(), equalTo("{}"));
  }

  /** The org.chexaudit interfaces the command options types are made of. */
  private static Set<Class<?>> ownInterfaces(List<Class<? extends PipelineOptions>> types) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(types);
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.getName().startsWith("org.chexaudit.") && seen.add(c)) {
        todo.addAll(List.of(c.getInterfaces()));
      }
    }
    return seen;
  }
}
