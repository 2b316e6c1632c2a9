package io.kms4j.bomconsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * kms4j-bom against the reactor it ships with: it lists every published module, manages nothing else, has no parent
 * to leak third-party versions through, and carries kms4j-parent's version. Reads the POM files themselves, so it
 * checks what a consumer will download.
 */
class BomTest {
    private static Path root;
    private static Element parentPom;
    private static Element bomPom;

    @BeforeAll
    static void readPoms() throws Exception {
        root = Path.of(System.getProperty("kms4j.root", "..")).toAbsolutePath().normalize();
        parentPom = read(root.resolve("pom.xml"));
        bomPom = read(root.resolve("bom/pom.xml"));
    }

    @Test
    void bom_noParent_soNoThirdPartyVersionsLeakIntoConsumers() {
        assertNull(child(bomPom, "parent"), "an imported BOM brings its parent's dependencyManagement along");
        assertNull(child(bomPom, "dependencies"), "a BOM manages versions; it adds no dependencies");
        assertNull(child(bomPom, "build"));
        assertEquals("pom", text(bomPom, "packaging"));
    }

    @Test
    void bom_version_isKms4jParentVersion() {
        assertEquals(text(parentPom, "groupId"), text(bomPom, "groupId"));
        assertEquals(text(parentPom, "version"), text(bomPom, "version"),
                "bom/pom.xml carries the release version itself (it has no parent): update it with kms4j-parent's");
    }

    @Test
    void bom_entries_areKms4jArtifactsAtTheBomVersion() {
        List<Element> entries = managed(bomPom);
        assertFalse(entries.isEmpty());
        for (Element entry : entries) {
            String artifactId = text(entry, "artifactId");
            assertEquals("io.kms4j", text(entry, "groupId"), artifactId);
            assertTrue(artifactId.startsWith("kms4j-"), artifactId);
            assertEquals("${project.version}", text(entry, "version"), artifactId);
            assertNull(child(entry, "scope"), artifactId);
            assertNull(child(entry, "type"), artifactId);
        }
    }

    @Test
    void bom_listsEveryPublishedReactorModule() throws Exception {
        List<String> listed = managed(bomPom).stream().map(e -> text(e, "artifactId")).toList();
        List<String> published = publishedModules(root);
        assertTrue(published.contains("kms4j-api"), "the reactor was read: " + published);
        for (String artifactId : published) {
            assertTrue(listed.contains(artifactId), artifactId + " is a published kms4j module but not in "
                    + "bom/pom.xml: add it there (or set maven.deploy.skip in its POM if it is not for consumers)");
        }
    }

    @Test
    void consumerBuild_versionsItRepeats_matchKms4jParent() throws Exception {
        Element consumer = read(root.resolve("bom-consumer-test/pom.xml"));
        assertEquals(text(parentPom, "version"), text(consumer, "version"));
        Map<String, String> parentProperties = properties(parentPom);
        Map<String, String> repeated = properties(consumer);
        repeated.keySet().retainAll(parentProperties.keySet());
        assertTrue(repeated.containsKey("junit.version") && repeated.containsKey("surefire-plugin.version"),
                "property names shared with kms4j-parent: " + repeated.keySet());
        for (Map.Entry<String, String> property : repeated.entrySet()) {
            assertEquals(parentProperties.get(property.getKey()), property.getValue(),
                    "bom-consumer-test/pom.xml repeats " + property.getKey() + " from kms4j-parent");
        }
    }

    /** Artifact ids of the reactor's modules that are published: jar (or other non-pom) packaging, not deploy-skipped. */
    private static List<String> publishedModules(Path aggregatorDir) throws Exception {
        List<String> result = new ArrayList<>();
        Element aggregator = read(aggregatorDir.resolve("pom.xml"));
        Element modules = child(aggregator, "modules");
        if (modules == null) {
            return result;
        }
        for (Element module : children(modules, "module")) {
            Path dir = aggregatorDir.resolve(module.getTextContent().trim());
            Element pom = read(dir.resolve("pom.xml"));
            String packaging = child(pom, "packaging") == null ? "jar" : text(pom, "packaging");
            boolean deploySkipped = "true".equals(properties(pom).get("maven.deploy.skip"));
            if (!packaging.equals("pom") && !deploySkipped) {
                result.add(text(pom, "artifactId"));
            }
            result.addAll(publishedModules(dir));
        }
        return result;
    }

    private static List<Element> managed(Element pom) {
        Element management = child(pom, "dependencyManagement");
        return management == null ? List.of() : children(child(management, "dependencies"), "dependency");
    }

    private static Map<String, String> properties(Element pom) {
        Map<String, String> map = new LinkedHashMap<>();
        Element properties = child(pom, "properties");
        if (properties != null) {
            for (Node n = properties.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e) {
                    map.put(e.getTagName(), e.getTextContent().trim());
                }
            }
        }
        return map;
    }

    private static Element read(Path pom) throws Exception {
        assertTrue(Files.isRegularFile(pom), pom + " exists");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent != null) {
            for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
