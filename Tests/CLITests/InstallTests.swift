import Foundation
import Install
import Media
import Runtime
import TestHelpers
import Testing

/// A relocatable install: the binary and its data under a prefix, run from elsewhere with no
/// FOLEY_* variables, finds its weights and themes relative to itself, copies the bundled demo
/// to the user's folder on first use, and generates there.
@Suite(.serialized) final class InstallTests {
    let foley = BuiltProducts.path("foley")
    let dir: TempDirectory
    init() throws { dir = try TempDirectory("foley-install") }
    deinit { dir.remove() }

    @Test func anInstalledFoleyOpensItsDemoCopyFromAnywhereAndGenerates() throws {
        let prefix = dir.file("prefix")
        let install = try Subprocess.run(Fixtures.repositoryRoot + "/Scripts/install.sh", [prefix, foley])
        #expect(install.status == 0, "\(install.stderr)")
        let share = prefix + "/share/foley"
        for path in ["/bin/foley", "/share/foley/Weights/specvqgan/config.json", "/share/foley/Themes/dark.toml",
                     "/share/foley/Projects/demo/project.json"] {
            #expect(FileManager.default.fileExists(atPath: prefix + path), "\(path) not installed")
        }
        // A fast generator beside the shipped one, inside the install (FOLEY_TEST_GENERATOR shows it).
        try FileManager.default.createDirectory(atPath: share + "/Weights/test-tone", withIntermediateDirectories: true)
        try "{\"kind\": \"test-tone\", \"window\": 32768, \"work_ms\": 0}".write(toFile: share + "/Weights/test-tone/config.json", atomically: true, encoding: .utf8)
        try SafeTensorsFile.write(["gain": Tensor(shape: [4], [1, 1, 1, 1])], to: share + "/Weights/test-tone/weights.safetensors")

        let home = dir.file("home")
        let session = try Tmux("sh -c 'cd / && exec env -u FOLEY_HOME -u FOLEY_WEIGHTS -u FOLEY_THEMES \(prefix)/bin/foley open'", environment: [
            "HOME": home, "XDG_DATA_HOME": "", "FOLEY_TEST_GENERATOR": "1", "FOLEY_ALSA_DEVICE": "null", "TERM": "tmux-256color",
        ])
        try session.wait(for: "Generator: frieren")                   // bundles in name order: frieren, specvqgan, test-tone, …
        try session.send("G")
        try session.wait(for: "Generator: specvqgan")
        try session.send("G")
        try session.wait(for: "Generator: test-tone")
        try session.send("g")
        try session.wait(for: "ready in slot A")
        try session.send("q")
        try session.wait(for: "[exited 0 ]")
        let copy = home + "/.local/share/foley/demo"
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: copy + "/project.json"))) as? [String: Any] ?? [:]
        #expect((json["takes"] as? [[String: Any]])?.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copy + "/takes").count == 1)
        // The bundled demo is left as installed.
        #expect(!FileManager.default.fileExists(atPath: share + "/Projects/demo/takes"))
    }

    @Test func theDataFolderIsFoundFromTheExecutableAndAMissingOneIsNamed() throws {
        let prefix = dir.file("p")
        for sub in ["bin", "share/foley/Weights", "share/foley/Themes"] {
            try FileManager.default.createDirectory(atPath: prefix + "/" + sub, withIntermediateDirectories: true)
        }
        #expect(try FoleyHome.locate(environment: [:], executable: prefix + "/bin/foley") == prefix + "/share/foley")
        #expect(try FoleyHome.locate(environment: ["FOLEY_HOME": prefix + "/share/foley"], executable: "/nowhere/foley") == prefix + "/share/foley")
        #expect { try FoleyHome.locate(environment: ["FOLEY_HOME": prefix], executable: "/x") } throws: { "\($0)".contains("FOLEY_HOME: got [\(prefix)]") }
        #expect { try FoleyHome.locate(environment: [:], executable: dir.file("lonely/bin/foley")) } throws: { "\($0)".contains("cannot find Foley's data") }
        // A checkout: the build folder's binary finds the repository above it.
        #expect(try FoleyHome.locate(environment: [:], executable: foley) == URL(fileURLWithPath: Fixtures.repositoryRoot).resolvingSymlinksInPath().path)
    }
}

/// The product finds its data only through FoleyHome: no source file of a shipped target asks
/// where it was compiled (tests, benchmarks and the fuzzer may, to find the checkout).
@Test func noShippedTargetLooksUpASourcePath() throws {
    let sources = Fixtures.repositoryRoot + "/Sources"
    let devOnly: Set<String> = ["TestHelpers", "foley-bench", "Fuzzing", "foley-fuzz"]
    var offenders: [String] = []
    for target in try FileManager.default.contentsOfDirectory(atPath: sources) where !devOnly.contains(target) {
        let enumerator = FileManager.default.enumerator(atPath: sources + "/" + target)
        while let file = enumerator?.nextObject() as? String {
            guard file.hasSuffix(".swift") else { continue }
            let text = try String(contentsOfFile: "\(sources)/\(target)/\(file)", encoding: .utf8)
            if text.contains("#filePath") || text.contains("#file)") || text.contains("#file,") { offenders.append("\(target)/\(file)") }
        }
    }
    #expect(offenders.isEmpty, "source-path lookups in shipped code: \(offenders)")
}
