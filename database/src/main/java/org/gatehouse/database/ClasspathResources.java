package org.gatehouse.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Lists the files of a classpath directory, whether it lives on disk (tests, IDE) or inside the runnable jar. */
final class ClasspathResources {
  private ClasspathResources() {
  }

  /** The file names (not paths) directly inside {@code directory}, sorted; empty if it does not exist. */
  static List<String> list(ClassLoader loader, String directory) {
    List<String> names = new ArrayList<>();
    try {
      Enumeration<URL> roots = loader.getResources(directory);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        if ("file".equals(root.getProtocol())) {
          listDirectory(Paths.get(root.toURI()), names);
        } else if ("jar".equals(root.getProtocol())) {
          listJar(root, directory, names);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list classpath directory " + directory, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot list classpath directory " + directory, e);
    }
    Collections.sort(names);
    return names;
  }

  private static void listDirectory(Path dir, List<String> names) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
    }
  }

  private static void listJar(URL root, String directory, List<String> names) throws IOException {
    JarURLConnection connection = (JarURLConnection) root.openConnection();
    connection.setUseCaches(false);
    String prefix = directory.endsWith("/") ? directory : directory + "/";
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.startsWith(prefix) && name.length() > prefix.length() && name.indexOf('/', prefix.length()) < 0) {
          names.add(name.substring(prefix.length()));
        }
      }
    }
  }
}
